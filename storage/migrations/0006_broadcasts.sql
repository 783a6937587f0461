-- Admin broadcasts (issue 14). The broadcast row says who sent what to which audience and
-- when; its outbox rows (kind 'broadcast', ref = the broadcast's id) say to whom and how each
-- delivery went. Neither is ever deleted: together they are the audit.
CREATE TABLE broadcasts (
    id               INTEGER PRIMARY KEY,
    unit_code        TEXT NOT NULL REFERENCES units (code),  -- the subtree it went to
    audience         TEXT NOT NULL,      -- JSON {"level", "role", "missing": "CAMPAIGN/FORM"}
    text             TEXT NOT NULL,      -- as the admin wrote it
    -- The Outbound JSON every recipient gets (header line + text + photo), kept once: the
    -- broadcast's outbox rows leave their payload empty and the sender reads this one.
    payload          TEXT NOT NULL,
    photo_ref        TEXT,               -- a photo every channel can fetch (the chat flow)
    created_by       INTEGER REFERENCES members (id),        -- NULL: the command line
    created_at       TEXT NOT NULL,
    scheduled_at     TEXT,               -- when it starts; NULL = at once
    recipients       INTEGER NOT NULL,
    cancelled_at     TEXT,
    done_reported_at TEXT                -- when the chat told its author it was done
);
-- The chat flow looks for its broadcasts whose report is still owed (few rows ever match).
CREATE INDEX broadcasts_unreported ON broadcasts (id)
    WHERE done_reported_at IS NULL AND created_by IS NOT NULL;

-- Replies never come through the outbox; of what does, reminders and digests (0) go before
-- broadcasts (1): a reminder queued behind a 10,000-person broadcast is the next one sent.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET priority = 1 WHERE kind = 'broadcast';

-- The sender reads one range per priority: rows not yet due (a broadcast scheduled for
-- tomorrow) lie outside both ranges and are never read by a poll.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (channel, state, priority, not_before, id);

-- A broadcast's counts by state (its progress, polled while it goes out) from the index alone.
DROP INDEX outbox_ref;
CREATE INDEX outbox_ref ON outbox (kind, ref, state);
