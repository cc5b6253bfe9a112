-- PostgreSQL's sequences never hand out an id twice; SQLite needed its tables rebuilt
-- with AUTOINCREMENT for the same (see the sqlite folder).
SELECT 1;
