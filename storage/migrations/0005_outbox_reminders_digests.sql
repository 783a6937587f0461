-- Every proactive message (reminder, digest, broadcast) is a row here, written in the same
-- transaction as what caused it, and delivered by the paced sender of its channel (bot/outbox).
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    member_id   INTEGER REFERENCES members (id),
    kind        TEXT NOT NULL CHECK (kind IN ('reminder', 'digest', 'broadcast')),
    ref         TEXT NOT NULL DEFAULT '',     -- what caused it: a reminder key, a broadcast id
    payload     TEXT NOT NULL,                -- the Outbound message as JSON
    not_before  TEXT NOT NULL,                -- not sent earlier (quiet hours, retries, --at)
    state       TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sent', 'failed', 'unreachable', 'cancelled')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  TEXT NOT NULL,
    sent_at     TEXT
);
-- The sender's one query: the next pending rows of a channel that are due, oldest first.
CREATE INDEX outbox_due ON outbox (channel, state, not_before, id);
CREATE INDEX outbox_ref ON outbox (kind, ref);

-- A reminder is sent exactly once per (form, unit, offset) for a given deadline: a moved
-- deadline (a reloaded campaign) makes new keys, so the reminders are planned again.
CREATE TABLE reminders_sent (
    campaign_code TEXT NOT NULL,
    form_id       TEXT NOT NULL,
    unit_code     TEXT NOT NULL REFERENCES units (code),
    offset_text   TEXT NOT NULL,              -- "-3d", "0d", "+1d" as written in the campaign
    due_on        TEXT NOT NULL,
    planned_at    TEXT NOT NULL,
    PRIMARY KEY (campaign_code, form_id, unit_code, offset_text, due_on)
) WITHOUT ROWID;

-- When each member last got a digest: "what is new since" starts there.
CREATE TABLE digests_sent (
    member_id INTEGER PRIMARY KEY REFERENCES members (id),
    last_at   TEXT NOT NULL
);

-- Reminders and digests ask for the units of one level under a unit: (level, path) answers it.
CREATE INDEX units_level_path ON units (level, path);
