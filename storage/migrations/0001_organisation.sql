-- The organisation tree, the people enrolled in it, and the invite codes that enrol them.
CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    level       TEXT NOT NULL,
    parent_code TEXT REFERENCES units (code),
    -- Materialised path "/ROOT/CHILD/…/CODE/": a subtree is one indexed prefix range.
    path        TEXT NOT NULL,
    depth       INTEGER NOT NULL
);
CREATE INDEX units_parent ON units (parent_code);
CREATE INDEX units_path ON units (path);

CREATE TABLE members (
    id           INTEGER PRIMARY KEY,
    channel      TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    chat_id      TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    unit_code    TEXT NOT NULL REFERENCES units (code),
    role         TEXT NOT NULL CHECK (role IN ('rep', 'secretary', 'admin')),
    enrolled_at  TEXT NOT NULL,
    reachable    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (channel, user_id)
);
CREATE INDEX members_unit ON members (unit_code);

CREATE TABLE invites (
    id           INTEGER PRIMARY KEY,
    code_hash    TEXT NOT NULL UNIQUE,
    unit_code    TEXT NOT NULL REFERENCES units (code),
    role         TEXT NOT NULL CHECK (role IN ('rep', 'secretary', 'admin')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES members (id),
    used_at      TEXT,
    used_by      INTEGER REFERENCES members (id)
);

CREATE TABLE enrol_attempts (
    channel      TEXT NOT NULL,
    chat_id      TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    PRIMARY KEY (channel, chat_id)
);
