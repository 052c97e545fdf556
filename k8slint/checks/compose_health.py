"""Compose checks of ``healthcheck``: durations, timeout against interval, and the shape of ``test``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.compose.durations import parse_duration

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.compose.model import ComposeProject
    from k8slint.registry import Context

DURATION_KEYS = ("interval", "timeout", "start_period", "start_interval")


def _healthchecks(project):
    for name, service in project.services.items():
        check = service.get("healthcheck")
        if isinstance(check, dict):
            yield name, ("services", name, "healthcheck"), check


def compose_healthcheck_duration(project: ComposeProject, ctx: Context) -> Hits:
    for name, base, check in _healthchecks(project):
        for key in DURATION_KEYS:
            value = check.get(key)
            if not isinstance(value, str) or project.unresolved(base + (key,)):
                continue  # other types are compose-schema's
            seconds = parse_duration(value, days=True)
            if seconds is None:
                yield project.hit(
                    base + (key,),
                    f"service {name} healthcheck {key} {value!r} is not a duration; write a number with a unit, such as 10s or 1m30s",
                )
            elif seconds < 0:  # beyond the loader: the daemon refuses the container at `up`
                yield project.hit(
                    base + (key,),
                    f"service {name} healthcheck {key} {value!r} is negative, and Docker refuses to create the container at `up`; write a positive duration such as 10s",
                )


# the other durations of a service (the loader reads them like healthcheck durations)
SERVICE_DURATIONS = (
    ("stop_grace_period",),
    ("deploy", "restart_policy", "delay"),
    ("deploy", "restart_policy", "window"),
    ("deploy", "update_config", "delay"),
    ("deploy", "update_config", "monitor"),
    ("deploy", "rollback_config", "delay"),
    ("deploy", "rollback_config", "monitor"),
)


def compose_invalid_duration(project: ComposeProject, ctx: Context) -> Hits:
    for name, service in project.services.items():
        for rel in SERVICE_DURATIONS:
            value = service
            for key in rel:
                value = value.get(key) if isinstance(value, dict) else None
            path = ("services", name) + rel
            if isinstance(value, str) and not project.unresolved(path) and parse_duration(value, days=True) is None:
                yield project.hit(
                    path,
                    f"service {name} {'.'.join(rel)} {value!r} is not a duration docker compose can read; write a number with a unit (ms, s, m, h, d …), such as 10s or 1m30s",
                )


def compose_healthcheck_timeout(project: ComposeProject, ctx: Context) -> Hits:
    for name, base, check in _healthchecks(project):
        interval, timeout = parse_duration(check.get("interval")), parse_duration(check.get("timeout"))
        if interval and timeout is not None and timeout >= interval:
            yield project.hit(
                base + ("timeout",),
                f"service {name} healthcheck timeout {check['timeout']} is not shorter than its interval {check['interval']}, so a hung check outlasts the gap between checks (often the two values are swapped); make timeout shorter than interval",
            )


def _test_problem(test) -> str | None:
    if isinstance(test, str):
        first = test.split(None, 1)[0] if test.strip() else ""
        if first in ("CMD", "CMD-SHELL", "NONE"):
            return f'is a string starting with {first}, which the shell then tries to run as a command; write it as a list ["{first}", …] or drop {first}'
        return None if test.strip() else "is empty; give a command"
    if not isinstance(test, list):
        return None
    if not test:
        return None  # test: [] keeps the image's own HEALTHCHECK (docker compose config shows healthcheck: {})
    head = test[0]
    if head not in ("CMD", "CMD-SHELL", "NONE"):
        return f"list starts with {head!r}; the first item must be CMD (exec the rest), CMD-SHELL (run one shell string) or NONE"
    if head == "CMD-SHELL" and len(test) != 2:
        return 'must be ["CMD-SHELL", "one shell command string"]; join the command into one string or use CMD'
    if head == "NONE" and len(test) != 1:
        return 'is ["NONE", …]; NONE takes no arguments (it disables the check)'
    return None


def compose_healthcheck_test(project: ComposeProject, ctx: Context) -> Hits:
    for name, base, check in _healthchecks(project):
        test, path = check.get("test"), base + ("test",)
        if project.unresolved(path):
            continue
        problem = _test_problem(test)
        if problem:
            yield project.hit(path, f"service {name} healthcheck test {problem}")
        elif test == ["CMD"]:  # the loader accepts it; the check then has nothing to run
            yield project.hit(
                path,
                f'service {name} healthcheck test is ["CMD"] with no command after it; add the command and its arguments',
                severity="warning",
            )
