"""Label selectors evaluated exactly as Kubernetes evaluates them."""

from __future__ import annotations

from k8slint.kube.model import label_text as _text


def matches(selector, labels: dict) -> bool:
    """Whether ``labels`` satisfy ``selector``.

    ``selector`` is either a LabelSelector (``matchLabels`` and/or
    ``matchExpressions``) or, when it has neither key, an equality map as
    used by ReplicationControllers and Services. An empty LabelSelector
    matches everything; a null one matches nothing.
    """
    if selector is None:
        return False
    if not isinstance(selector, dict):
        return False
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        return all(labels.get(key) == _text(value) for key, value in selector.items())
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not isinstance(match_labels, dict) or not isinstance(expressions, list):
        return False
    if not all(labels.get(key) == _text(value) for key, value in match_labels.items()):
        return False
    return all(expression_matches(expr, labels) for expr in expressions)


def expression_matches(expression, labels: dict) -> bool:
    """One ``matchExpressions`` requirement; malformed ones match nothing."""
    if not isinstance(expression, dict):
        return False
    key, operator, values = expression.get("key"), expression.get("operator"), expression.get("values") or []
    if not isinstance(key, str) or not isinstance(values, list):
        return False
    values = {_text(value) for value in values if not isinstance(value, (dict, list))}
    present = key in labels
    if operator == "In":
        return present and labels[key] in values
    if operator == "NotIn":
        return not present or labels[key] not in values
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    return False


def describe(selector) -> str:
    """``app=web,tier in (a,b)`` — a selector as kubectl prints it."""
    if not isinstance(selector, dict):
        return "<none>"
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        return ",".join(f"{key}={_text(value)}" for key, value in selector.items())
    match_labels, expressions = selector.get("matchLabels") or {}, selector.get("matchExpressions") or []
    parts = [f"{key}={_text(value)}" for key, value in match_labels.items()] if isinstance(match_labels, dict) else []
    for expr in expressions if isinstance(expressions, list) else []:
        if not isinstance(expr, dict):
            continue
        key, operator, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        values = ",".join(_text(value) for value in values) if isinstance(values, list) else str(values)
        parts.append(
            {
                "In": f"{key} in ({values})",
                "NotIn": f"{key} notin ({values})",
                "Exists": f"{key}",
                "DoesNotExist": f"!{key}",
            }.get(operator if isinstance(operator, str) else "", f"{key} {operator}")
        )
    return ",".join(parts)


def describe_labels(labels: dict) -> str:
    return ",".join(f"{key}={value}" for key, value in labels.items()) or "<none>"
