-- Inbound dedupe, conversation state (survives restarts), and small key/value facts.
CREATE TABLE inbox (
    key         TEXT PRIMARY KEY,
    received_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE conversations (
    channel    TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    flow       TEXT NOT NULL DEFAULT '',
    step       TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (channel, chat_id)
) WITHOUT ROWID;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
