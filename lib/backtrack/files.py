"""Reading a file a person names (a CSV to import, the programme file) safely: only a
regular file, and never more than a limit, so a FIFO cannot hang the app and /dev/zero or a
huge file cannot exhaust its memory."""

from __future__ import annotations

import os
import stat


class NotARegularFile(ValueError):
    """The path is a folder, a device or a pipe."""


class TooLarge(ValueError):
    """The file is bigger than the limit; `size` is its size in bytes (at least limit + 1)."""

    def __init__(self, size: int):
        self.size = size
        super().__init__(f"{size} bytes")


def read_limited(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raises NotARegularFile,
    TooLarge, or OSError when it cannot be opened. Reads at most limit + 1 bytes."""
    # Opened without blocking, so a FIFO is found out by fstat instead of hanging open().
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(str(path))
        if info.st_size > limit:
            raise TooLarge(info.st_size)
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew while being read
        raise TooLarge(len(data))
    return data
