DROP INDEX calendar_feeds_one_live;
DROP TABLE login_attempts;
