"""Reading a file to fix and writing it back: same encoding, BOM and bytes elsewhere, atomically."""

from __future__ import annotations

import os
from dataclasses import dataclass

from k8slint.files import RefusedPath, write_atomic
from k8slint.sources import SourceError, decode, encoding_of, read_bytes


class FileProblem(Exception):
    """A file that cannot be read or written for fixing; the message is one line for the user."""


@dataclass(frozen=True)
class FileText:
    """A file's bytes as read, its text, and how to turn new text back into bytes."""

    path: str
    raw: bytes
    text: str
    bom: bytes
    codec: str

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)


def read_file(path: str) -> FileText:
    try:
        raw = read_bytes(path)
        text = decode(raw)
    except SourceError as exc:
        raise FileProblem(str(exc)) from None
    bom, codec = encoding_of(raw)
    return FileText(path, raw, text, bom, codec)


def writable_target(path: str, roots: list[str], force: bool = False) -> str:
    """The real file to replace for ``path``; FileProblem when it is read-only, a symlink out of ``roots``, or
    (unless ``force``) one of several hard links, which a replacement would split."""
    target = os.path.realpath(path)
    if os.path.islink(path) and not any(_inside(target, root) for root in roots):
        raise FileProblem(f"is a symlink to {target}, outside the linted tree; not written")
    status = os.stat(target)
    if not os.access(target, os.W_OK) or not status.st_mode & 0o222:
        raise FileProblem("is read-only; not written")
    if status.st_nlink > 1 and not force:
        raise FileProblem(
            f"has {status.st_nlink} hard links; not written (--force replaces it, and the other names keep the old text)"
        )
    return target


def _inside(path: str, root: str) -> bool:
    root = os.path.realpath(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def write_file(original: FileText, text: str, roots: list[str], force: bool = False) -> None:
    """Replace the file with ``text`` (temp file beside it, fsync, rename), keeping its mode and owner; left
    alone when its bytes changed since it was read."""
    target = writable_target(original.path, roots, force)
    try:
        write_atomic(target, original.encode(text), expect=original.raw)
    except RefusedPath as exc:
        raise FileProblem(exc.strerror) from None
    except OSError as exc:
        raise FileProblem(f"cannot write: {exc.strerror or exc}") from None
