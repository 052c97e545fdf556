"""Render diagnoses: fix-step templates filled with captured facts, then text,
markdown or JSON.

Templates are jinja2.  A fact the input did not reveal renders as a visible
placeholder (``<pod>``) instead of an empty string, and ``{% if pod %}`` is
false for it, so one template serves both a full and a partial paste.  Steps
that render empty are dropped, which lets an entry keep optional steps.
"""

from __future__ import annotations

import json
from functools import lru_cache

from k8slint.diagnose.shell import safe_facts

CONFIDENCE_WORDS = ((0.85, "high"), (0.6, "medium"), (0.0, "low"))


class TemplateRefused(Exception):
    """A knowledge-base template tried what the sandbox forbids; the message says which and why."""


@lru_cache(maxsize=1)
def template_env():
    """The one environment of knowledge-base templates: sandboxed (a --kb template is data, never code)."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Placeholder(jinja2.Undefined):
        """Undefined values print as <name> so the reader sees what to fill in."""

        def __str__(self):
            return f"<{self._undefined_name or 'value'}>"

    env = ImmutableSandboxedEnvironment(
        undefined=Placeholder, autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False
    )
    env.globals.clear()  # facts such as "namespace" must never resolve to jinja2 helpers
    env.filters["flag"] = lambda value, name: f" {name} {value}" if value else ""
    return env


@lru_cache(maxsize=512)
def _compiled(source: str):
    return template_env().from_string(source)


def fill(source: str, facts: dict) -> str:
    """A template filled with facts; TemplateRefused when it tries what the sandbox forbids (attributes such
    as ``__class__``, calls of unsafe methods, changing a value)."""
    from jinja2.exceptions import SecurityError

    from k8slint.escaping import escape

    try:  # facts come from the paste: their control characters are shown, never sent to the terminal
        return _compiled(source).render(**{name: escape(value) for name, value in facts.items()}).strip()
    except SecurityError as exc:
        from k8slint.escaping import excerpt

        raise TemplateRefused(f"template {excerpt(source)} refused by the sandbox: {exc}") from None


def confidence_word(value: float) -> str:
    return next(word for floor, word in CONFIDENCE_WORDS if value >= floor)


def to_dict(diag) -> dict:
    """The JSON shape of one diagnosis (plus 'findings' when manifests were linted)."""
    entry, facts = diag.entry, diag.facts
    command_facts = safe_facts(facts)  # fix and verify steps are pasted into a shell

    def steps(templates, facts=facts):
        return [text for text in (fill(t, facts) for t in templates) if text]

    data = {
        "id": entry.id,
        "title": fill(entry.title, facts),
        "confidence": round(diag.confidence, 2),
        "summary": fill(entry.summary, facts),
        "causes": steps(entry.causes),
        "fix": steps(entry.fix, command_facts),
        "verify": steps(entry.verify, command_facts),
        "facts": {k: v for k, v in sorted(facts.items()) if k != "command"},
        "related_rules": list(entry.related_rules),
        "matched": diag.matched,
    }
    if diag.findings is not None:
        data["findings"] = [finding_dict(f) for f in diag.findings]
    return data


def finding_dict(finding) -> dict:
    return {
        "rule": finding.rule,
        "severity": str(getattr(finding.severity, "value", finding.severity)),
        "message": finding.message,
        "file": str(finding.file) if finding.file is not None else None,
        "line": finding.line,
        "column": finding.column,
    }


def _location(f: dict) -> str:
    where = f["file"] or "<input>"
    if f["line"]:
        where += f":{f['line']}"
        if f["column"]:
            where += f":{f['column']}"
    return where


def _indent_block(text: str, prefix: str) -> str:
    first, *rest = text.splitlines()
    return "\n".join([first, *(prefix + line if line.strip() else "" for line in rest)])


def render_text(dicts: list[dict], color: bool = False) -> str:
    from k8slint.terminal import painter

    paint = painter(color)
    out: list[str] = []
    for number, d in enumerate(dicts, start=1):
        if out:
            out.append("")
        head = f"[{number}] " if len(dicts) > 1 else ""
        out.append(
            paint("bold", f"{head}{d['title']}")
            + paint("dim", f"  ({d['id']}, {confidence_word(d['confidence'])} confidence)")
        )
        if d["matched"]:
            out.append(f"    matched: {d['matched']}")
        out.append("")
        out.append(_indent_block(d["summary"], ""))
        out.append("")
        out.append(paint("bold", "Why (most likely first):"))
        out.extend(f"  - {_indent_block(c, '    ')}" for c in d["causes"])
        out.append("")
        out.append(paint("bold", "Fix:"))
        out.extend(f"  {i}. {_indent_block(step, '     ')}" for i, step in enumerate(d["fix"], start=1))
        out.append("")
        out.append(paint("bold", "Verify:"))
        out.extend(f"  $ {paint('cyan', _indent_block(v, '    '))}" for v in d["verify"])
        if d.get("findings"):
            out.append("")
            out.append(paint("bold", "Found in your manifests:"))
            out.extend(f"  {_location(f)}: {f['rule']}: {f['message']}" for f in d["findings"])
        elif "findings" in d:
            out.append("")
            out.append("Found in your manifests: nothing related.")
        if d["related_rules"]:
            out.append("")
            out.append("Lint rules that catch this before apply: " + ", ".join(d["related_rules"]))
    return "\n".join(out) + "\n"


def _md_step(text: str) -> str:
    first, *rest = text.splitlines()
    if not rest:
        return first
    return first + "\n\n   ```\n" + "\n".join("   " + r for r in rest) + "\n   ```"


def render_markdown(dicts: list[dict]) -> str:
    out: list[str] = []
    for d in dicts:
        out.append(f"## {d['title']}")
        out.append("")
        out.append(f"`{d['id']}` · confidence {confidence_word(d['confidence'])} ({d['confidence']})")
        out.append("")
        if d["matched"]:
            out.append("Matched:")
            out.append("")
            out.append("```text")
            out.append(d["matched"])
            out.append("```")
            out.append("")
        out.append(d["summary"])
        out.append("")
        out.append("### Why")
        out.append("")
        out.extend(f"- {c}" for c in d["causes"])
        out.append("")
        out.append("### Fix")
        out.append("")
        out.extend(f"{i}. {_md_step(s)}" for i, s in enumerate(d["fix"], start=1))
        out.append("")
        out.append("### Verify")
        out.append("")
        out.append("```sh")
        out.extend(d["verify"])
        out.append("```")
        if "findings" in d:
            out.append("")
            out.append("### Found in your manifests")
            out.append("")
            out.extend(f"- `{_location(f)}` {f['rule']}: {f['message']}" for f in d["findings"])
            if not d["findings"]:
                out.append("- nothing related")
        if d["related_rules"]:
            out.append("")
            out.append("Related lint rules: " + ", ".join(f"`{r}`" for r in d["related_rules"]))
        out.append("")
    return "\n".join(out)


def render_json(dicts: list[dict], **extra) -> str:
    return json.dumps({**extra, "diagnoses": dicts}, indent=2, ensure_ascii=False) + "\n"


def render(diagnoses: list, fmt: str, color: bool = False) -> str:
    dicts = [to_dict(d) for d in diagnoses]
    if fmt == "json":
        return render_json(dicts)
    if fmt == "markdown":
        return render_markdown(dicts)
    return render_text(dicts, color)
