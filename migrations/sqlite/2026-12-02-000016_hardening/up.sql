-- Login attempts shared by every instance (web::throttle): one row per e-mail address,
-- client address or user, counting failures since `window_start`.
CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_at TIMESTAMP NOT NULL
);

-- One live calendar-feed secret per user, even when first calls race.
UPDATE calendar_feeds SET revoked_at = created_at
WHERE revoked_at IS NULL AND id NOT IN (
    SELECT MAX(id) FROM calendar_feeds WHERE revoked_at IS NULL GROUP BY user_id
);
CREATE UNIQUE INDEX calendar_feeds_one_live ON calendar_feeds (user_id) WHERE revoked_at IS NULL;
