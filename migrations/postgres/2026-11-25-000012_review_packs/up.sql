-- Review packs: a peer-review team reads the fidelity figures, outcomes and contact log of a
-- period through a secret link, without an account. No job seeker names are in them.
CREATE TABLE review_packs (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    created_by BIGINT NOT NULL REFERENCES users(id),
    secret TEXT NOT NULL UNIQUE,
    team_id BIGINT REFERENCES teams(id),
    specialist_id BIGINT REFERENCES users(id),
    period_from DATE NOT NULL,
    period_to DATE NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX review_packs_org ON review_packs (organisation_id, created_at);
