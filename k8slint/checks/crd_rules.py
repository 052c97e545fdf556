"""Do custom resources pass the CEL rules (``x-kubernetes-validations``) of their CRDs?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.checks.api import custom_kinds
from k8slint.findings import Hit
from k8slint.placeholders import has_placeholder

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.index import Index
    from k8slint.registry import Context

# outcome status -> (severity, what it means); "failed" keeps the rule's severity (error)
_ONCE = {
    "unsupported": ("info", "not checked: {detail}"),
    "invalid": ("info", "not checked: it does not compile ({detail}); the API server refuses such a CRD"),
    "cost": (
        "warning",
        "not evaluated: {detail} (celconfig.PerCallLimit); the API server stops such a rule and refuses the object",
    ),
}


def crd_validation_rule(index: Index, ctx: Context) -> Hits:
    by_group = custom_kinds(index, ctx)
    if not by_group:
        return  # no CRD in the run or given: no rule to evaluate (and the CEL machinery is not loaded)
    from k8slint.kube import cel
    from k8slint.kube.crd_validation import evaluate, field_path_parts, has_rules, nodes, prepared
    from k8slint.kube.schemas import dotted

    once = set()  # (CRD kind, rule) reported as unsupported, invalid or too costly
    for obj in index.objects:
        if obj.role.partial or "." not in obj.group:
            continue
        defined = by_group.get(obj.group, {}).get(obj.kind)
        schema = defined.versions.get(obj.version) if defined else None
        if schema is None or not has_rules(schema):
            continue
        if not cel.available():
            if "engine" not in once:
                once.add("engine")
                message = "CEL rules of CRDs are not evaluated: the CEL engine (cel-expr-python) needs Python 3.11+"
                yield Hit("", message, obj=obj, severity="info")
            continue
        crd = f"{defined.plural}.{defined.group}"
        for parts, value, rule in nodes(prepared(obj.data, schema), schema):
            if parts[:1] == ("status",) or _has_placeholder(value):
                continue
            outcome = evaluate(rule, parts, value)
            if outcome is None:
                continue
            if outcome.status == "failed":
                yield Hit(dotted(parts + field_path_parts(rule.field_path)), outcome.message, obj=obj)
            elif outcome.status == "error":
                message = (
                    f"rule {rule.rule.strip()!r} of CRD {crd} fails to evaluate here: {outcome.message}; "
                    "the API server refuses the object with this error"
                )
                yield Hit(dotted(parts), message, obj=obj, severity="warning")
            elif (defined.kind, rule.rule) not in once:
                once.add((defined.kind, rule.rule))
                severity, text = _ONCE[outcome.status]
                message = f"rule {rule.rule.strip()!r} of CRD {crd} is " + text.format(detail=outcome.message)
                yield Hit(dotted(parts), message, obj=obj, severity=severity)


def _has_placeholder(value) -> bool:
    """A template or substitution expression anywhere in the value: its real value is not known yet."""
    if isinstance(value, dict):
        return any(has_placeholder(key) or _has_placeholder(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_placeholder(item) for item in value)
    return has_placeholder(value)
