"""``.env`` files as Compose reads them: ``KEY=VALUE`` lines, ``export``, quotes, comments."""

from __future__ import annotations

import re

from k8slint.compose.interpolate import MAX_VALUE, UNKNOWN, TemplateError, interpolate

_LINE = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:[=:]\s*(.*))?$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def _expand(text: str, env: dict):
    try:
        result = interpolate(text, env)
    except TemplateError:
        return text
    return result.text if result.known else UNKNOWN


def _value(raw: str, env: dict) -> str:
    raw = raw.strip()
    if raw[:1] == "'" and raw.find("'", 1) > 0:
        return raw[1 : raw.find("'", 1)]
    if raw[:1] == '"':
        end = 1
        while end < len(raw) and (raw[end] != '"' or raw[end - 1] == "\\"):
            end += 1
        return _expand(_unescape(raw[1:end]), env)
    comment = re.search(r"\s#", raw)
    return _expand(raw[: comment.start()] if comment else raw, env)


def parse_dotenv(text: str, base: dict | None = None) -> dict:
    """Variables defined by a ``.env`` text; later lines may refer to earlier ones and to ``base``.

    A value that uses an ``UNKNOWN`` variable, or is longer than ``MAX_VALUE``, is ``UNKNOWN`` itself.
    """
    values: dict = {}
    env = dict(base or {})  # what a line may refer to: ``base``, then the lines above it
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            continue
        name, raw = match.groups()
        value = _value(raw or "", env)
        values[name] = env[name] = UNKNOWN if isinstance(value, str) and len(value) > MAX_VALUE else value
    return values
