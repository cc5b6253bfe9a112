-- Tables declared AUTOINCREMENT stay so: going back must not make ids reusable again,
-- and the earlier schema reads these tables unchanged.
SELECT 1;
