"""Template expressions in values, and where a generator replaces them before any API server sees them.

``${VAR}`` (envsubst, clusterctl, Flux post-build substitution), ``{{ … }}``
and ``{% … %}`` (Go templates, Jinja, Argo CD), ``$(VAR)`` (kustomize vars).
"""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\{\{.*?\}\}|\{%.*?%\}|\$\([A-Za-z_][A-Za-z0-9_.-]*\)")
# what YAML makes of an unquoted `{{ .Name }}` used as a key: a flow mapping, shown as "{.Name: null}"
_UNQUOTED_KEY = re.compile(r"^\{.+\}$")
# a whole value that is one envsubst/clusterctl variable, with an optional default: `${REPLICAS:-3}`
_WHOLE_SUBSTITUTION = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?:[-:=?+][^{}]*)?\}")
# objects that generate other objects from a template field holding placeholders
GENERATOR_TEMPLATES = {("argoproj.io", "ApplicationSet"): "spec.template"}


def has_placeholder(value) -> bool:
    """A string holding a template expression, or what YAML makes of an unquoted ``{{ .Values.x }}`` (a mapping)."""
    if isinstance(value, dict) and len(value) == 1:
        (key, item), *_ = value.items()
        return item is None and isinstance(key, str) and key.startswith("{")
    return isinstance(value, str) and (PLACEHOLDER.search(value) is not None or _UNQUOTED_KEY.match(value) is not None)


def is_template_value(obj, path: str, value) -> bool:
    """Whether ``value`` at ``path`` of ``obj`` is a template expression a generator fills in.

    True in a template file (``obj.role.template``) and in the template field
    of a generator such as an Argo CD ApplicationSet; a placeholder anywhere
    else would reach the API server as it is.
    """
    if not has_placeholder(value):
        return False
    if obj.role.template:
        return True
    field = GENERATOR_TEMPLATES.get((obj.group, obj.kind))
    return field is not None and (path == field or path.startswith(field + ".") or path.startswith(field + "["))


def is_substitution(value) -> bool:
    """A string that is nothing but one ``${VAR}`` or ``${VAR:-default}`` expression.

    Written where the schema wants a number, a list or a boolean, such a value
    only makes sense to a substitution tool (envsubst, clusterctl, Flux), which
    replaces it before anything reaches an API server.
    """
    return isinstance(value, str) and _WHOLE_SUBSTITUTION.fullmatch(value) is not None
