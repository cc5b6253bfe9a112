CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    team_id BIGINT REFERENCES teams(id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    locale TEXT,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_org ON users (organisation_id, display_name);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    token_prefix TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (organisation_id, user_id);

CREATE TABLE employers (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    business_id TEXT,
    industry TEXT,
    size_class TEXT,
    street_address TEXT,
    postal_code TEXT,
    municipality_code TEXT,
    website TEXT,
    description TEXT,
    tags TEXT NOT NULL DEFAULT '',
    owner_id BIGINT REFERENCES users(id),
    stage TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    archived_at TIMESTAMP,
    UNIQUE (organisation_id, business_id)
);
CREATE INDEX employers_org_name ON employers (organisation_id, name_lower, id);
CREATE INDEX employers_org_updated ON employers (organisation_id, updated_at, id);
CREATE INDEX employers_org_created ON employers (organisation_id, created_at, id);
CREATE INDEX employers_org_municipality ON employers (organisation_id, municipality_code, name_lower);
CREATE INDEX employers_org_stage ON employers (organisation_id, stage, name_lower);
CREATE INDEX employers_org_owner ON employers (organisation_id, owner_id, name_lower);
CREATE INDEX employers_org_industry ON employers (organisation_id, industry, name_lower);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    employer_id BIGINT NOT NULL REFERENCES employers(id),
    name TEXT NOT NULL,
    title TEXT,
    phone TEXT,
    email TEXT,
    preferred_channel TEXT,
    can_hire BOOLEAN NOT NULL DEFAULT 0,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX contacts_employer ON contacts (organisation_id, employer_id, name);
