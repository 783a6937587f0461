"""The child process of `Database.snapshot_in_process`: one pickled read in, its answer out.

    python -m storage.snapshot_child < pickle((database path, work)) > pickle((ok, value))

stdin holds the database path and the work (a picklable callable taking a read-only
connection); stdout gets `(True, result)` or `(False, exception)`, and nothing else.
"""

from __future__ import annotations

import pickle
import sys
from typing import Any

from storage.db import read_snapshot


def main() -> None:
    """Run the one read given on stdin and write its outcome to stdout."""
    path, work = pickle.loads(sys.stdin.buffer.read())  # from our own parent process
    outcome: tuple[bool, Any]
    try:
        outcome = (True, read_snapshot(path, work))
    except Exception as exc:  # the parent raises it as if it had run the work itself
        outcome = (False, exc)
    try:
        answer = pickle.dumps(outcome)
    except Exception as exc:  # an answer that does not pickle still says what went wrong
        answer = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    sys.stdout.buffer.write(answer)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
