-- Updates received by webhook (issue 15). The platform hears 200 only once an update is
-- written here, so a crash right after the 200 loses nothing: at the next start every row whose
-- key is not yet in `inbox` (the handled ones) is handled then. Rows leave once handled.
CREATE TABLE webhook_inbox (
    id          INTEGER PRIMARY KEY,       -- the order they came in
    key         TEXT NOT NULL UNIQUE,      -- the update's dedupe key, as in `inbox`
    channel     TEXT NOT NULL,
    inbound     TEXT NOT NULL,             -- the update as the router takes it (Inbound JSON)
    received_at TEXT NOT NULL
);
