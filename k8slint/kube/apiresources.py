"""Read the output of ``kubectl api-resources`` (plain table, ``-o wide``, ``-o name``, ``--no-headers``).

Older kubectl versions print an APIGROUP column (group only) instead of
APIVERSION; rows then match every version of their group. ``-o name`` lines
(``deployments.apps``) carry neither kind nor scope: known built-in resources
are completed from the bundled table, others keep ``kind=None`` and match
kinds by their plural name.
"""

from __future__ import annotations

import re

from k8slint.errors import CatalogError
from k8slint.escaping import excerpt
from k8slint.kube.apis import Resource, split_api_version

_NAME_LINE = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?")
_HEADER = re.compile(r"\s*NAME\s+(SHORTNAMES\s+)?(APIVERSION|APIGROUP)\s+NAMESPACED\s+KIND\b.*")
_BOOL = {"true": True, "false": False}


def read_api_resources(path: str, builtin: list[Resource]) -> list[Resource]:
    """Parse the file at ``path``; CatalogError (one line, with the line number) when it is not such output."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as err:
        raise CatalogError(f"cannot read --api-resources file {path}: {err}") from err
    return parse_api_resources(text, path, builtin)


def parse_api_resources(text: str, source: str, builtin: list[Resource]) -> list[Resource]:
    lines = [(number, line.rstrip()) for number, line in enumerate(text.splitlines(), 1)]
    lines = [(number, line) for number, line in lines if line.strip()]
    if not lines:
        raise CatalogError(f"--api-resources file {source} is empty; save `kubectl api-resources` output to it")
    header_at = next((i for i, (_, line) in enumerate(lines) if _HEADER.fullmatch(line)), None)
    if header_at is not None:
        rows = _parse_table(lines[header_at][1], lines[header_at + 1 :], source)
    elif all(_NAME_LINE.fullmatch(line.strip()) for _, line in lines):
        rows = _parse_names(lines, builtin)
    else:
        rows = [_parse_bare_row(number, line, source) for number, line in lines]
    if not rows:
        raise CatalogError(f"--api-resources file {source} lists no resources")
    return rows


def _columns(header: str) -> list[tuple[str, int, int | None]]:
    starts = [(m.group(), m.start()) for m in re.finditer(r"\S+", header)]
    return [(name, start, starts[i + 1][1] if i + 1 < len(starts) else None) for i, (name, start) in enumerate(starts)]


def _parse_table(header: str, body, source: str) -> list[Resource]:
    columns = _columns(header)
    rows = []
    for number, line in body:
        cells = {name: line[start:end].strip() for name, start, end in columns}
        # a cell that spills past its column (long names) shifts the rest: fall back to tokens
        if not cells["NAME"] or cells["NAMESPACED"] not in _BOOL or " " in cells["KIND"]:
            rows.append(_parse_bare_row(number, line, source, group_only="APIGROUP" in cells))
            continue
        rows.append(
            _row(
                cells["NAME"],
                cells.get("SHORTNAMES", ""),
                cells.get("APIVERSION"),
                cells.get("APIGROUP"),
                cells["NAMESPACED"],
                cells["KIND"],
                number,
                source,
            )
        )
    return rows


def _parse_bare_row(number: int, line: str, source: str, group_only: bool = False) -> Resource:
    tokens = line.split()
    flags = [i for i, token in enumerate(tokens[:6]) if token in _BOOL]
    if not flags or flags[0] not in (1, 2, 3) or flags[0] + 1 >= len(tokens):
        raise CatalogError(
            f"{source}:{number}: expected `NAME [SHORTNAMES] APIVERSION NAMESPACED KIND` "
            f"as `kubectl api-resources` prints it, got {excerpt(line.strip())}"
        )
    at = flags[0]
    name, kind = tokens[0], tokens[at + 1]
    group_or_version = tokens[at - 1] if at >= 2 else ""
    shortnames = tokens[1] if at == 3 else ""
    if group_only:
        return _row(name, shortnames, None, group_or_version, tokens[at], kind, number, source)
    return _row(name, shortnames, group_or_version, None, tokens[at], kind, number, source)


def _row(name, shortnames, api_version, group, namespaced, kind, number, source) -> Resource:
    if api_version is not None:
        parts = split_api_version(api_version)
        if parts is None:
            raise CatalogError(f"{source}:{number}: {api_version!r} is not an apiVersion like apps/v1")
        group, version = parts
    else:
        version = None
    if namespaced not in _BOOL:
        raise CatalogError(f"{source}:{number}: NAMESPACED must be true or false, got {namespaced!r}")
    short = tuple(s for s in shortnames.split(",") if s)
    return Resource(name, short, group or "", version, _BOOL[namespaced], kind)


def _parse_names(lines, builtin: list[Resource]) -> list[Resource]:
    known = {(res.name, res.group): res for res in builtin}
    rows = []
    for _, line in lines:
        name, _, group = line.strip().partition(".")
        res = known.get((name, group))
        if res is not None:
            rows.append(Resource(name, res.shortnames, group, None, res.namespaced, res.kind))
        else:
            rows.append(Resource(name, (), group, None, None, None))
    return rows
