"""Validate CronJob schedules the way the Kubernetes API server does.

The API server parses ``spec.schedule`` with the standard five-field cron
grammar (minute hour day-of-month month day-of-week), plus ``@hourly``-style
macros and ``@every <duration>``, and rejects any ``TZ``/``CRON_TZ`` prefix in
favour of ``spec.timeZone``. ``schedule_error`` returns the reason a schedule
is rejected, or None when it is accepted.
"""

from __future__ import annotations

import re

MACROS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
MONTHS = {
    name: i
    for i, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
DAYS = {name: i for i, name in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
# (field name, minimum, maximum, names)
FIELDS = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, MONTHS),
    ("day of week", 0, 6, DAYS),
)
_DURATION = re.compile(
    r"^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*$"
)


def schedule_error(schedule) -> str | None:
    """Why the API server rejects ``schedule``, or None if it is valid."""
    if not isinstance(schedule, str):
        return f"schedule must be a string, not {type(schedule).__name__}"
    text = schedule.strip()
    if "TZ" in schedule:
        return "cannot use TZ or CRON_TZ in schedule, use the timeZone field instead"
    if not text:
        return "empty spec string"
    if text.startswith("@"):
        return _macro_error(text)
    fields = text.split()
    if len(fields) != 5:
        return f"expected exactly 5 fields, found {len(fields)}: {text!r}"
    for value, (name, low, high, names) in zip(fields, FIELDS, strict=False):
        error = _field_error(value, low, high, names)
        if error:
            return f"{name} field {value!r}: {error}"
    return None


def _macro_error(text: str) -> str | None:
    if text.startswith("@every "):
        duration = text[len("@every ") :].strip()
        if duration == "0" or _DURATION.match(duration):
            return None
        return f"failed to parse duration {text!r}"
    if text in MACROS:
        return None
    return f"unrecognized descriptor: {text}"


def _field_error(value: str, low: int, high: int, names: dict) -> str | None:
    for part in value.split(","):
        error = _range_error(part, low, high, names)
        if error:
            return error
    return None


def _range_error(part: str, low: int, high: int, names: dict) -> str | None:
    range_part, slash, step_text = part.partition("/")
    if slash and ("/" in step_text or not step_text):
        return f"too many or missing slashes: {part!r}"
    if range_part in ("*", "?"):
        start, end = low, high
    else:
        bounds = range_part.split("-")
        if len(bounds) > 2:
            return f"too many hyphens: {part!r}"
        try:
            start = _number(bounds[0], names)
            end = _number(bounds[1], names) if len(bounds) == 2 else (high if slash else start)
        except ValueError as exc:
            return str(exc)
    if slash and (not step_text.isdigit() or int(step_text) == 0):
        return f"step of range should be a positive number: {part!r}"
    if start < low:
        return f"beginning of range ({start}) below minimum ({low})"
    if end > high:
        return f"end of range ({end}) above maximum ({high})"
    if start > end:
        return f"beginning of range ({start}) beyond end of range ({end})"
    return None


def _number(text: str, names: dict) -> int:
    if text.lower() in names:
        return names[text.lower()]
    if not text.isdigit():
        raise ValueError(f"failed to parse int from {text!r}")
    return int(text)
