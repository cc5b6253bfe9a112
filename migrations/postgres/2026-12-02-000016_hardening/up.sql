-- Login attempts shared by every instance (domain::throttle): one row per e-mail address,
-- client address, counting attempts until `last_at` is a lockout window old.
CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_at TIMESTAMP NOT NULL
);
-- Old counts are dropped on every attempt.
CREATE INDEX login_attempts_last_at ON login_attempts (last_at);

-- One live calendar-feed secret per user, even when first calls race.
UPDATE calendar_feeds SET revoked_at = created_at
WHERE revoked_at IS NULL AND id NOT IN (
    SELECT MAX(id) FROM calendar_feeds WHERE revoked_at IS NULL GROUP BY user_id
);
CREATE UNIQUE INDEX calendar_feeds_one_live ON calendar_feeds (user_id) WHERE revoked_at IS NULL;
