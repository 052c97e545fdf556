"""Compose checks of each file as written: obsolete ``version``, schema, unknown keys, interpolation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.compose.model import dotted, is_stack_file
from k8slint.compose.schema import validate
from k8slint.findings import Edit, Hit

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.compose.model import ComposeProject
    from k8slint.registry import Context


def compose_obsolete_version(project: ComposeProject, ctx: Context) -> Hits:
    for source in project.sources:
        if not isinstance(source.raw, dict) or "version" not in source.raw:
            continue
        version = source.raw["version"]
        if is_stack_file(
            source.raw, source.doc.file or ""
        ):  # docker stack deploy before Docker 23.0 requires it (docker/cli#3257)
            yield Hit(
                "version",
                f'the top-level version ({version!r}) is obsolete for Docker Compose, but this looks like a Swarm stack file and docker stack deploy before Docker 23.0 refuses a file without it ("unsupported Compose file version: 1.0"); keep it while you deploy with older engines',
                fix_title="keep version while any engine you deploy the stack to is older than Docker 23.0",
                doc=source.doc,
            )
            continue
        yield Hit(
            "version",
            f"the top-level version ({version!r}) is obsolete and Docker Compose ignores it; remove the line",
            fix_title="delete the top-level version key",
            edits=(Edit("delete", "version"),),
            doc=source.doc,
        )


def _schema_errors(project, source):
    cache = project.memo.setdefault("schema-errors", {})
    if id(source) not in cache:
        cache[id(source)] = validate(source.validated_data())
    return cache[id(source)]


def _schema_hits(project, unknown_keys: bool):
    for source in project.sources:
        for error in _schema_errors(project, source):
            if error.unknown_key == unknown_keys:
                edits = (Edit("rename", dotted(error.path), error.rename_to),) if error.rename_to else ()
                yield Hit(dotted(error.path), error.message, on_key=error.on_key, doc=source.doc, edits=edits)


def compose_schema(project: ComposeProject, ctx: Context) -> Hits:
    yield from _schema_hits(project, unknown_keys=False)


def compose_unknown_key(project: ComposeProject, ctx: Context) -> Hits:
    yield from _schema_hits(project, unknown_keys=True)


def _variables(names: list[str]) -> str:
    """``variable A is`` or ``variables A, B and C are``."""
    if len(names) == 1:
        return f"variable {names[0]} is"
    return "variables " + ", ".join(names[:-1]) + " and " + names[-1] + " are"


def _missing_message(missing) -> str:
    required = [m for m in missing if m.required]
    optional = sorted({m.name for m in missing if not m.required})
    parts = []
    if required:
        stops = "; ".join(f"{m.name}: {m.message!r}" for m in required if m.message)
        parts.append(
            f"required {_variables([m.name for m in required])} not set, so docker compose stops"
            + (f" ({stops})" if stops else "")
        )
    if optional:
        parts.append(
            f"{_variables(optional)} not set and {'has' if len(optional) == 1 else 'have'} no default, so Compose "
            "substitutes an empty string"
        )
    hint = f", or write ${{{optional[0]}:-default}}" if optional else ""
    pronoun = "it" if len(required) + len(optional) == 1 else "them"
    return "; ".join(parts) + f"; set {pronoun} in the environment or the .env file{hint}"


def compose_undefined_variable(project: ComposeProject, ctx: Context) -> Hits:
    for source in project.sources:
        for problem in source.problems:
            if problem.missing:  # only a required variable stops the loader; an optional one becomes ""
                required = any(missing.required for missing in problem.missing)
                severity = None if required else "warning"
                yield Hit(dotted(problem.path), _missing_message(problem.missing), doc=source.doc, severity=severity)


def compose_invalid_interpolation(project: ComposeProject, ctx: Context) -> Hits:
    for source in project.sources:
        for problem in source.problems:
            if problem.error:
                yield Hit(dotted(problem.path), f"{problem.error}; write $$ for a literal dollar sign", doc=source.doc)
