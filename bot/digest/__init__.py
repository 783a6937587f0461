"""Secretary digests: who submitted, who is missing or late, what is new, across a subtree.

`collect` reads (on a worker thread, through `Database.snapshot`), `build` turns the rows into a
`Digest` (pure), `render` writes it in the bot's voice within a channel's message limit, and
`service` is what the `tonghop` handler, `thidua digest` and the scheduler call.
"""

from bot.digest.service import digest_for, gather

__all__ = ["digest_for", "gather"]
