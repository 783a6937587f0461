-- Campaigns and their forms (as loaded from TOML), drafts, submissions with every version,
-- and attachments (photos and files people sent).
CREATE TABLE campaigns (
    code       TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    scope      TEXT NOT NULL REFERENCES units (code),
    starts_on  TEXT NOT NULL,
    ends_on    TEXT NOT NULL,
    definition TEXT NOT NULL,           -- the validated campaign, as JSON
    source     TEXT NOT NULL,           -- the TOML text as loaded
    revision   INTEGER NOT NULL DEFAULT 1,
    loaded_at  TEXT NOT NULL
);

-- One row per form, so deadlines can be queried in SQL (reminders, digests).
CREATE TABLE forms (
    campaign_code TEXT NOT NULL REFERENCES campaigns (code),
    form_id       TEXT NOT NULL,
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('registration', 'report', 'update')),
    level         TEXT NOT NULL,
    multiple      INTEGER NOT NULL,
    about         TEXT,
    opens_on      TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    late          TEXT NOT NULL CHECK (late IN ('allow', 'refuse')),
    position      INTEGER NOT NULL,
    PRIMARY KEY (campaign_code, form_id)
);

CREATE TABLE submissions (
    id                 INTEGER PRIMARY KEY,
    campaign_code      TEXT NOT NULL,
    form_id            TEXT NOT NULL,
    unit_code          TEXT NOT NULL REFERENCES units (code),
    work_id            INTEGER REFERENCES submissions (id),  -- update forms: the work it is about
    current_version    INTEGER NOT NULL,
    first_submitted_at TEXT NOT NULL,
    late_days          INTEGER NOT NULL DEFAULT 0,           -- of the first submission
    FOREIGN KEY (campaign_code, form_id) REFERENCES forms (campaign_code, form_id)
);
CREATE INDEX submissions_form_unit ON submissions (campaign_code, form_id, unit_code);

-- Every version of every submission: an amendment adds a row, nothing is overwritten.
CREATE TABLE submission_versions (
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    version       INTEGER NOT NULL,
    answers       TEXT NOT NULL,          -- JSON: question id -> stored value
    member_id     INTEGER REFERENCES members (id),
    submitted_at  TEXT NOT NULL,
    late_days     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (submission_id, version)
) WITHOUT ROWID;

-- A work (công trình, phần việc) is a submitted registration.
CREATE VIEW works AS
    SELECT s.* FROM submissions AS s
    JOIN forms AS f ON f.campaign_code = s.campaign_code AND f.form_id = s.form_id
    WHERE f.kind = 'registration';

-- Unfinished answers, kept when a person cancels so they can continue later.
CREATE TABLE drafts (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    draft_key  TEXT NOT NULL,              -- campaign/form/new, …/amend/<submission>, …/work/<id>
    state      TEXT NOT NULL,              -- JSON of the form engine's state and its target
    updated_at TEXT NOT NULL,
    UNIQUE (member_id, draft_key)
);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER REFERENCES members (id),
    channel      TEXT NOT NULL,
    file_ref     TEXT NOT NULL,             -- Telegram file_id, or the Zalo photo URL
    path         TEXT,                      -- our downloaded copy, relative to the files folder
    sha256       TEXT,
    size         INTEGER,
    kind         TEXT NOT NULL CHECK (kind IN ('photo', 'file')),
    name         TEXT,
    received_at  TEXT NOT NULL
);
