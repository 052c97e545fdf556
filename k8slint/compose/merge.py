"""Merging Compose documents the way ``docker compose -f a -f b`` does, keeping each value's origin.

Mappings merge key by key and scalars are replaced, except where the
Compose Specification says otherwise: ``command``, ``entrypoint`` and
``healthcheck.test`` are replaced whole; mapping-like lists (``environment``,
``labels``, ``depends_on``, service ``networks`` …) merge by key whatever
their syntax; ``volumes``/``devices`` merge by container path, ``secrets``/
``configs`` by source; other lists gain the entries they lack. A value
tagged ``!reset`` removes the key, one tagged ``!override`` replaces it whole.
"""

from __future__ import annotations

import copy
import json

from k8slint.compose.mounts import parse_mount

_REPLACED = {("command",), ("entrypoint",), ("healthcheck", "test")}
_MAPPING_LIKE = {
    ("environment",),
    ("labels",),
    ("annotations",),
    ("sysctls",),
    ("extra_hosts",),
    ("ulimits",),
    ("storage_opt",),
    ("depends_on",),
    ("networks",),
    ("build", "args"),
    ("build", "labels"),
    ("build", "extra_hosts"),
    ("deploy", "labels"),
    ("logging", "options"),
}


def _mount_target(item):
    mount = parse_mount(item)
    return mount.target if mount else _identity(item)


def _reference_source(item):
    return item.get("source") if isinstance(item, dict) else item


_KEYED = {
    ("volumes",): _mount_target,
    ("devices",): _mount_target,
    ("secrets",): _reference_source,
    ("configs",): _reference_source,
}


def _service_relative(path: tuple) -> tuple | None:
    return tuple(path[2:]) if len(path) > 2 and path[0] == "services" else None


def _entries(rel: tuple, value) -> list[tuple[str, object, object]]:
    """``(key, value, where)`` for a mapping-like value in either syntax; ``where`` is its key or list index."""
    if isinstance(value, dict):
        return [(key, item, key) for key, item in value.items()]
    entries = []
    for index, item in enumerate(value):
        if rel == ("depends_on",):
            entries.append((str(item), {"condition": "service_started"}, index))
        elif rel == ("networks",):
            entries.append((str(item), None, index))
        else:
            text = str(item)
            sep = ":" if rel in {("extra_hosts",), ("build", "extra_hosts")} and "=" not in text else "="
            key, has_value, rest = text.partition(sep)
            entries.append((key, rest if has_value else None, index))
    return entries


def _identity(item):
    return json.dumps(item, sort_keys=True, default=str)


def _merge_tag(origin) -> str | None:
    """``!reset`` or ``!override`` when the value at ``origin`` was written with that tag."""
    source, path = origin.at()
    return source.tags.get(path)


class Direct:
    """Values taken straight from one document: origin of the value at ``path`` of ``source``."""

    __slots__ = ("source", "path")

    def __init__(self, source, path: tuple = ()):
        self.source, self.path = source, path

    def child(self, key) -> Direct:
        return Direct(self.source, self.path + (key,))

    def at(self):
        return self.source, self.path


class Saved:
    """Values taken from an already merged tree, whose origins were recorded in ``table`` (relative paths)."""

    __slots__ = ("table", "rel")

    def __init__(self, table: dict, rel: tuple = ()):
        self.table, self.rel = table, rel

    def child(self, key) -> Saved:
        return Saved(self.table, self.rel + (key,))

    def at(self):
        for cut in range(len(self.rel), -1, -1):
            found = self.table.get(self.rel[:cut])
            if found is not None:
                return found[0], found[1] + self.rel[cut:]
        raise KeyError(self.rel)


class Merger:
    """Builds one merged tree and its origin table from documents laid over each other."""

    def __init__(self):
        self.data: dict = {}
        self.origins: dict = {}

    def add(self, source) -> None:
        """Lay one source's (interpolated) data over what is there."""
        if isinstance(source.data, dict):
            self.data = self.merge((), self.data, copy.deepcopy(source.data), Direct(source))

    def subtree(self, path: tuple) -> Saved:
        """The origins recorded under ``path``, relative to it."""
        size = len(path)
        return Saved({key[size:]: value for key, value in self.origins.items() if key[:size] == path})

    def record(self, path: tuple, origin, value) -> None:
        self.origins[path] = origin.at()
        if isinstance(value, dict):
            for key, item in value.items():
                self.record(path + (key,), origin.child(key), item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.record(path + (index,), origin.child(index), item)

    def forget(self, path: tuple) -> None:
        size = len(path)
        for key in [key for key in self.origins if key[:size] == path]:
            del self.origins[key]

    def _move(self, old: tuple, new: tuple) -> None:
        size = len(old)
        for key in [key for key in self.origins if key[:size] == old]:
            self.origins[new + key[size:]] = self.origins.pop(key)

    def replace(self, path: tuple, value, origin):
        self.forget(path)
        self.record(path, origin, value)
        return value

    def merge(self, path: tuple, base, over, origin):
        """``over`` (with origins from ``origin``) laid over ``base`` at merged ``path``."""
        rel = _service_relative(path)
        if rel in _REPLACED:
            return self.replace(path, over, origin)
        if rel in _MAPPING_LIKE and isinstance(base, (dict, list)) and isinstance(over, (dict, list)):
            return self._merge_mapping_like(path, rel, base, over, origin)
        if isinstance(base, dict) and isinstance(over, dict):
            if not path:
                self.origins.setdefault((), origin.at())
            for key, item in over.items():
                child = origin.child(key)
                tag = _merge_tag(child)
                if tag == "!reset":  # back to the default: as if never set
                    base.pop(key, None)
                    self.forget(path + (key,))
                elif key in base and tag != "!override":
                    base[key] = self.merge(path + (key,), base[key], item, child)
                else:
                    base[key] = self.replace(path + (key,), item, child)
            return base
        if isinstance(base, list) and isinstance(over, list):
            return self._merge_list(path, base, over, origin, _KEYED.get(rel))
        return self.replace(path, over, origin)

    def _merge_mapping_like(self, path, rel, base, over, origin):
        result: dict = {}
        for key, item, where in _entries(rel, base):
            result[key] = item
            if where != key:
                self._move(path + (where,), path + (key,))
        for key, item, where in _entries(rel, over):
            if isinstance(result.get(key), dict) and isinstance(item, dict):
                result[key] = self.merge(path + (key,), result[key], item, origin.child(where))
            else:
                result[key] = self.replace(path + (key,), item, origin.child(where))
        return result

    def _merge_list(self, path, base, over, origin, key_of):
        keys = [(key_of or _identity)(item) for item in base]
        for index, item in enumerate(over):
            key = (key_of or _identity)(item)
            if key in keys and key_of is None:
                continue
            slot = keys.index(key) if key in keys else len(base)
            if slot == len(base):
                base.append(item)
                keys.append(key)
            else:
                base[slot] = item
            self.replace(path + (slot,), item, origin.child(index))
        return base
