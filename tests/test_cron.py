"""CronJob schedules: what the API server accepts and rejects."""

from __future__ import annotations

import pytest

from k8slint.kube.cron import schedule_error


@pytest.mark.parametrize(
    "schedule",
    [
        "*/5 * * * *",
        "0 3 * * 1-5",
        "0 0 1 JAN,jul *",
        "15 10 ? * sun",
        "0-59/15 0-23/2 1-31 1-12 0-6",
        "5/10 * * * *",
        "@hourly",
        "@daily",
        "@midnight",
        "@weekly",
        "@monthly",
        "@yearly",
        "@annually",
        "@every 1h30m",
        "@every 90s",
        " 0 3 * * * ",
    ],
)
def test_valid_schedules(schedule):
    assert schedule_error(schedule) is None


@pytest.mark.parametrize(
    ("schedule", "reason"),
    [
        ("0 30 3 * * *", "expected exactly 5 fields, found 6"),
        ("* * * *", "expected exactly 5 fields, found 4"),
        ("60 * * * *", "end of range (60) above maximum (59)"),
        ("0 0 0 * *", "beginning of range (0) below minimum (1)"),
        ("0 0 * * 7", "end of range (7) above maximum (6)"),
        ("0 0 * 13 *", "above maximum (12)"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1)"),
        ("*/0 * * * *", "step of range should be a positive number"),
        ("0 0 * * MON-FRIDAY", "failed to parse int"),
        ("1-2-3 * * * *", "too many hyphens"),
        ("0 0 L * *", "failed to parse int"),
        ("TZ=UTC 0 3 * * *", "use the timeZone field"),
        ("CRON_TZ=Europe/Berlin 0 3 * * *", "use the timeZone field"),
        ("@reboot", "unrecognized descriptor"),
        ("@every soon", "failed to parse duration"),
        ("", "empty spec string"),
        (300, "must be a string"),
    ],
)
def test_invalid_schedules(schedule, reason):
    assert reason in schedule_error(schedule)
