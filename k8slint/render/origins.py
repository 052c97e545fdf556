"""Origins: where a field of a rendered object was written by hand.

A rendered object comes from one file (kustomize's ``config.kubernetes.io/origin``
annotation, Helm's ``# Source:`` comment); patches may have set some of its
fields since. ``trace`` follows a finding's path through the patches that
apply to the object, last applied first, and stops at the first one that
wrote the field:

- a strategic-merge patch wrote it when the patch holds the whole path (list
  items matched by ``name`` and the other merge keys, not by position) and
  either the value is a scalar equal to the rendered one, or the origin file
  does not hold that path at all (the patch added the container, the probe …);
- a JSON 6902 ``add``/``replace`` wrote it when the operation's path is the
  finding's path or one of its parents (``-``, append, is matched by value).

Everything else — a field no patch wrote, a transformer's change (name
prefix, namespace, labels), a path a patch only partly holds — is reported in
the object's origin file, at the nearest node of the path that exists there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

from k8slint import yamlio
from k8slint.documents import Span
from k8slint.sources import Source, SourceError

# keys that identify an item of a list of mappings, in the order strategic merge uses them
IDENTITY_KEYS = ("name", "containerPort", "port", "mountPath", "devicePath", "ip", "key")


@dataclass(frozen=True)
class Place:
    """Where a finding is reported: a file as displayed, and a span in it."""

    file: str
    span: Span
    patch: bool = False  # a patch wrote the field (else: the object's origin file)


@dataclass(frozen=True)
class Patch:
    """One patch of a kustomization: a file (or inline text) and the objects it targets.

    ``strategic`` tells a strategic-merge patch from a JSON 6902 one;
    ``target`` is the kustomization's selector (kind, name …) or empty for a
    strategic-merge patch that names its object itself. ``text`` holds an
    inline patch, written in the kustomization at ``line_offset``/``column_offset``.
    """

    file: str
    strategic: bool
    target: tuple = ()  # sorted (key, value) pairs
    text: str | None = None
    line_offset: int = 0
    column_offset: int = 0


@dataclass
class Origin:
    """The file a rendered object was written in, and the document of it that holds the object."""

    file: str
    document: yamlio.ParsedDocument | None = None
    patches: list[Patch] = field(default_factory=list)  # in the order kustomize applies them


def display(path: str) -> str:
    """A path as findings show it: relative to the working directory when below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


@lru_cache(maxsize=256)
def read_documents(path: str, text: str | None = None) -> tuple[yamlio.ParsedDocument, ...]:
    """The parsed documents of a file (or of ``text``); empty when unreadable or not YAML."""
    try:
        text = Source(path, path).read() if text is None else text
    except SourceError:
        return ()
    documents, _ = yamlio.parse_stream(text)
    return tuple(documents)


def object_document(path: str, kind: str, name: str) -> yamlio.ParsedDocument | None:
    """The document of ``path`` that holds the object of ``kind`` rendered as ``name`` (names may have gained affixes)."""
    best, best_length = None, -1
    for document in read_documents(path):
        data = document.data
        if not isinstance(data, dict) or data.get("kind") != kind:
            continue
        original = _name(data)
        if original == name:
            return document
        if original and original in name and len(original) > best_length:
            best, best_length = document, len(original)
    return best


def trace(rendered: dict, origin: Origin, path: str, on_key: bool = False) -> Place:
    """Where the field at ``path`` of the ``rendered`` object was written (see the module docstring)."""
    steps = _steps(rendered, yamlio.split_path(path))
    for patch in reversed(origin.patches):
        place = _in_patch(patch, rendered, origin, steps, path, on_key)
        if place is not None:
            return place
    return in_origin(origin, steps, on_key)


def in_origin(origin: Origin, steps: list, on_key: bool = False) -> Place:
    """The nearest node of the path in the object's origin file (its first line when the object is not found)."""
    if origin.document is None:
        return Place(display(origin.file), Span(1, 1, 1, 1))
    parts, _ = _walk(origin.document.data, steps)
    return Place(display(origin.file), _span(origin.document, parts, on_key))


def _name(data: dict) -> str:
    metadata = data.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return name if isinstance(name, str) else ""


def _steps(data, parts: list) -> list:
    """Path parts with list positions turned into identities where the item has one: ``("name", "web")``."""
    steps, node = [], data
    for part in parts:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            item = node[part]
            key = next((k for k in IDENTITY_KEYS if isinstance(item, dict) and k in item), None)
            steps.append((key, item[key]) if key else part)
            node = item
        else:
            steps.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return steps


def _walk(data, steps: list) -> tuple[list, bool]:
    """The concrete parts of ``steps`` in ``data``, as far as they go, and whether they went all the way."""
    parts, node = [], data
    for step in steps:
        if isinstance(step, tuple):
            if not isinstance(node, list):
                return parts, False
            index = next(
                (i for i, item in enumerate(node) if isinstance(item, dict) and item.get(step[0]) == step[1]), None
            )
            if index is None:
                return parts, False
            parts.append(index)
            node = node[index]
        elif isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return parts, False
            parts.append(step)
            node = node[step]
        else:
            if not isinstance(node, dict) or step not in node:
                return parts, False
            parts.append(step)
            node = node[step]
    return parts, True


def _value(data, parts: list):
    for part in parts:
        data = data[part]
    return data


def _dotted(parts: list) -> str:
    from k8slint.documents import child_path

    path = ""
    for part in parts:
        path = child_path(path, part)
    return path


def _span(document: yamlio.ParsedDocument, parts: list, on_key: bool, column_offset: int = 0) -> Span:
    node = yamlio.find_node(document.node, _dotted(parts), on_key)
    line, column, end_line, end_column = yamlio.node_span(node, document.line_offset)
    return Span(line, column + column_offset, end_line, end_column + column_offset)


def _patch_documents(patch: Patch) -> tuple[yamlio.ParsedDocument, ...]:
    documents = read_documents(patch.file, patch.text)
    if patch.text is None or not patch.line_offset:
        return documents
    return tuple(
        yamlio.ParsedDocument(doc.node, doc.data, doc.line_offset + patch.line_offset, doc.issues) for doc in documents
    )


def _targets(patch: Patch, rendered: dict, original: str) -> bool:
    """Whether the kustomization's target selector picks this object (unknown selector keys do not exclude it)."""
    import re

    target = dict(patch.target)
    if target.get("kind") not in (None, rendered.get("kind")):
        return False
    name = target.get("name")
    if name is not None:
        try:
            if not any(re.fullmatch(str(name), candidate) for candidate in {original, _name(rendered)}):
                return False
        except re.error:
            return False
    selector = target.get("labelSelector")
    if isinstance(selector, str) and "=" in selector and "(" not in selector:
        labels = (rendered.get("metadata") or {}).get("labels") or {}
        for term in selector.split(","):
            key, _, value = term.partition("=")
            if str(labels.get(key.strip().rstrip("!"))) != value.strip().lstrip("="):
                return False
    return True


def _in_patch(patch: Patch, rendered: dict, origin: Origin, steps: list, path: str, on_key: bool) -> Place | None:
    original = _name(origin.document.data) if origin.document is not None else _name(rendered)
    if patch.target and not _targets(patch, rendered, original):
        return None
    file = display(patch.file)
    for document in _patch_documents(patch):
        if patch.strategic:
            place = _strategic(document, patch, rendered, origin, steps, path, on_key)
        else:
            place = _json6902(document, patch, rendered, steps, on_key)
        if place is not None:
            return Place(file, place, patch=True)
    return None


def _strategic(document, patch: Patch, rendered: dict, origin: Origin, steps, path, on_key) -> Span | None:
    data = document.data
    if not isinstance(data, dict):
        return None
    if not patch.target and (
        data.get("kind") != rendered.get("kind")
        or _name(data) not in {_name(rendered), _name(origin.document.data) if origin.document is not None else None}
    ):
        return None
    parts, complete = _walk(data, steps)
    if not complete or not steps:
        return None
    value = _value(data, parts)
    if isinstance(value, (dict, list)):
        in_origin = origin.document is not None and _walk(origin.document.data, steps)[1]
        if in_origin:
            return None  # the patch changed something inside a node the origin file already had
    else:
        rendered_parts, found = _walk(rendered, steps)
        if not found or _value(rendered, rendered_parts) != value:
            return None
    return _span(document, parts, on_key, patch.column_offset)


def _json6902(document, patch: Patch, rendered: dict, steps, on_key) -> Span | None:
    operations = document.data
    if not isinstance(operations, list):
        return None
    rendered_parts, _ = _walk(rendered, steps)
    for index in reversed(range(len(operations))):
        operation = operations[index]
        if not isinstance(operation, dict) or operation.get("op") not in ("add", "replace", "copy", "move"):
            continue
        written = _pointer_parts(operation.get("path"), rendered, operation.get("value"))
        if written is None or rendered_parts[: len(written)] != written:
            continue
        within = [index, "value"] if "value" in operation else [index]
        remainder = rendered_parts[len(written) :] if "value" in operation else []
        return _span(document, within + remainder, on_key, patch.column_offset)
    return None


def _pointer_parts(pointer, rendered: dict, value) -> list | None:
    """A JSON pointer as path parts in the rendered object (``-`` is the item equal to the value appended)."""
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        return None
    parts, node = [], rendered
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            if token == "-":
                matches = [i for i, item in enumerate(node) if item == value]
                if not matches:
                    return None
                token = matches[-1]
            elif token.isdigit():
                token = int(token)
            else:
                return None
            if token >= len(node):
                return None
            parts.append(token)
            node = node[token]
        elif isinstance(node, dict):
            parts.append(token)
            node = node.get(token)
        else:
            parts.append(token)
            node = None
    return parts
