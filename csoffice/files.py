"""Writing a file so that a crash, a full disk or Ctrl+C never leaves half of it behind."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def partial_file(path: Path) -> Iterator[Path]:
    """A scratch path beside ``path`` to write into; it becomes ``path`` in one rename when the
    block ends normally and is removed when it raises."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()


def write_atomically(path: Path, data: bytes) -> Path:
    """``data`` as the whole of ``path``: the old file stays until the new one is complete."""
    with partial_file(path) as partial, open(partial, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    return Path(path)
