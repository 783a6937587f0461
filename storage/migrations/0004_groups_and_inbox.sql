-- Seen-update keys are forgotten after the redelivery window (bot/maintenance.py): this index
-- lets the pruning find the oldest keys without scanning the whole table.
CREATE INDEX inbox_received ON inbox (received_at);

-- Before groups were refused, a person could enrol from a group chat, and reminders would have
-- gone to the group. On Telegram and Zalo a person's private chat has their own id: rebind.
UPDATE members SET chat_id = user_id
WHERE channel IN ('telegram', 'zalo') AND chat_id <> user_id;

-- Unit codes are typed in any case on the command line ("kp-01"); codes are ASCII, so NOCASE
-- compares them exactly as people mean.
CREATE INDEX units_code_nocase ON units (code COLLATE NOCASE);
