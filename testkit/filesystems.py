"""Small real file systems for fault tests: a tiny tmpfs that fills up, or one mounted read-only.

Mounting needs root (or a user namespace with mount rights); ``mounted_tmpfs`` raises
``FilesystemUnavailableError`` otherwise and callers fall back to an equivalent injected ``OSError``.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class FilesystemUnavailableError(RuntimeError):
    """This process may not mount file systems here."""


@contextmanager
def mounted_tmpfs(size_kib: int, *, read_only: bool = False) -> Iterator[Path]:
    """A fresh tmpfs of ``size_kib`` KiB (read-only when asked), unmounted and removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="news-fault-fs-"))
    options = f"size={size_kib}k" + (",ro" if read_only else "")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        folder.rmdir()
        raise FilesystemUnavailableError(mounted.stderr.decode(errors="replace").strip() or "mount failed")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)
        folder.rmdir()
