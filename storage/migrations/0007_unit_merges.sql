-- Units merged into another (issue 16): since 2025 residential areas and communes are merged
-- by decision. A merged unit keeps its row, as history: `merged_into` names the unit that took
-- its members, submissions and children, `merged_at` when. Every read of the live tree (menus,
-- digests, expected counts, reminders, the exports' "not sent" list) leaves such rows out.
ALTER TABLE units ADD COLUMN merged_into TEXT REFERENCES units (code);
ALTER TABLE units ADD COLUMN merged_at TEXT;

-- The unit a submission was sent from, when a merge moved it to another (NULL: never moved):
-- the submission now counts for the merged unit, and where it came from stays readable.
ALTER TABLE submissions ADD COLUMN merged_from TEXT REFERENCES units (code);
