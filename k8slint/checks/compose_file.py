"""Compose checks of each file as written: obsolete ``version``, schema, unknown keys, interpolation."""

from __future__ import annotations

from k8slint.compose.model import dotted
from k8slint.compose.schema import validate
from k8slint.findings import Edit, Hit
from k8slint.registry import rule


@rule("compose-obsolete-version", scope="compose")
def obsolete_version(project, ctx):
    for source in project.sources:
        if isinstance(source.raw, dict) and "version" in source.raw:
            yield Hit("version", f"the top-level version ({source.raw['version']!r}) is obsolete and Docker Compose ignores it; remove the line",
                      fix="delete the top-level version key", edits=(Edit("delete", "version"),), doc=source.doc)


def _schema_errors(project, source):
    cache = project.memo.setdefault("schema-errors", {})
    if id(source) not in cache:
        cache[id(source)] = validate(source.data)
    return cache[id(source)]


def _schema_hits(project, unknown_keys: bool):
    for source in project.sources:
        for error in _schema_errors(project, source):
            if error.unknown_key == unknown_keys:
                yield Hit(dotted(error.path), error.message, on_key=error.on_key, doc=source.doc)


@rule("compose-schema", scope="compose")
def schema(project, ctx):
    yield from _schema_hits(project, unknown_keys=False)


@rule("compose-unknown-key", scope="compose")
def unknown_key(project, ctx):
    yield from _schema_hits(project, unknown_keys=True)


@rule("compose-undefined-variable", scope="compose")
def undefined_variable(project, ctx):
    for source in project.sources:
        for problem in source.problems:
            for missing in problem.missing:
                if missing.required:
                    message = f"required variable {missing.name} is not set; docker compose stops with {missing.message or 'an error'!r}; set it in the environment or the .env file"
                else:
                    message = f"variable {missing.name} is not set and has no default, so Compose substitutes an empty string; set it in the environment or the .env file, or write ${{{missing.name}:-default}}"
                yield Hit(dotted(problem.path), message, doc=source.doc)


@rule("compose-invalid-interpolation", scope="compose")
def invalid_interpolation(project, ctx):
    for source in project.sources:
        for problem in source.problems:
            if problem.error:
                yield Hit(dotted(problem.path), f"{problem.error}; write $$ for a literal dollar sign", doc=source.doc)
