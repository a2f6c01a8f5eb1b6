"""Reading and writing source files without changing a byte we did not mean to change.

Decoding follows PEP 263 (BOM, coding cookie, default UTF-8). Newlines are kept as they are
(no universal-newline translation), so offsets into the text map 1:1 back to the file.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import tokenize
from dataclasses import dataclass

NEWLINE_RE = re.compile(r"\r\n?|\n")


class DecodeError(Exception):
    pass


@dataclass(frozen=True)
class DecodedSource:
    text: str
    encoding: str  # codec used to encode it back ("utf-8-sig" keeps a BOM)


def decode(data: bytes) -> DecodedSource:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # bad or unknown coding cookie
        raise DecodeError(str(exc)) from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError(f"cannot decode as {encoding}: {exc}") from None
    return DecodedSource(text, encoding)


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding)


def read_source(path: str) -> DecodedSource:
    with open(path, "rb") as handle:
        return decode(handle.read())


def write_atomic(path: str, data: bytes, durable: bool = True) -> None:
    """Replace (or create) ``path`` with ``data``: write a sibling temp file, then rename it over.

    An existing file's permission bits are kept (a new file gets 0644). A reader never sees a
    half-written file. A symlink is written through (its target is replaced), so the link stays
    a link. ``durable`` fsyncs before the rename (user files; the cache can skip it).
    """
    path = os.path.realpath(path)
    directory = os.path.dirname(os.path.abspath(path))
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=".keras3-lint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class LineIndex:
    """Character offset <-> (row, column), both 1-based, splitting lines as LibCST does."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        starts.extend(m.end() for m in NEWLINE_RE.finditer(text))
        self.starts = starts

    def position(self, offset: int) -> tuple:
        from bisect import bisect_right

        offset = max(0, min(offset, len(self.text)))
        row = bisect_right(self.starts, offset) - 1
        return row + 1, offset - self.starts[row] + 1

    def line_text(self, row: int) -> str:
        start = self.starts[row - 1]
        end = self.starts[row] if row < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, row: int, column: int) -> int:
        return self.starts[row - 1] + column - 1
