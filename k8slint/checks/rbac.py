"""What the API server's RBAC validation refuses that the schema cannot say.

``ValidateRole``, ``ValidateClusterRole``, ``ValidatePolicyRule``,
``ValidateRoleBinding``, ``ValidateClusterRoleBinding`` and
``ValidateRoleBindingSubject`` (pkg/apis/rbac/validation/validation.go), after
the rbac/v1 defaults (``SetDefaults_RoleBinding``, ``SetDefaults_Subject``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8slint.access import mapping, sequence
from k8slint.findings import Hit
from k8slint.kube.formats import dns_subdomain_error, path_segment_error
from k8slint.kube.labelsyntax import selector_problems
from k8slint.placeholders import has_placeholder

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

GROUP = "rbac.authorization.k8s.io"
ROLE_KINDS = {"RoleBinding": ("Role", "ClusterRole"), "ClusterRoleBinding": ("ClusterRole",)}
SUBJECT_KINDS = ("ServiceAccount", "User", "Group")


def _quoted(values) -> str:
    return ", ".join(f'"{value}"' for value in values)


def rbac_invalid(obj: K8sObject, ctx: Context) -> Hits:
    if obj.group != GROUP:
        return
    if obj.kind in ("Role", "ClusterRole"):
        for index, rule in enumerate(sequence(obj.data, "rules")):
            if isinstance(rule, dict):
                yield from _rule(rule, f"rules[{index}]", namespaced=obj.kind == "Role")
        if obj.kind == "ClusterRole":
            yield from _aggregation(obj.data.get("aggregationRule"))
    elif obj.kind in ROLE_KINDS:
        yield from _role_ref(obj)
        for index, subject in enumerate(sequence(obj.data, "subjects")):
            if isinstance(subject, dict):
                # kustomize's namespace transformer fills the namespace of ServiceAccount subjects
                needs_namespace = obj.kind == "ClusterRoleBinding" and "namespace" not in obj.role.filled
                yield from _subject(subject, f"subjects[{index}]", needs_namespace)


def _rule(rule: dict, base: str, namespaced: bool) -> Hits:
    """``ValidatePolicyRule``."""
    if not rule.get("verbs") and "verbs" in rule:  # a missing verbs list is the schema rule's (a required field)
        yield Hit(f"{base}.verbs", f"{base}.verbs: Required value: verbs must contain at least one value")
    if rule.get("nonResourceURLs"):
        if namespaced:
            yield Hit(
                f"{base}.nonResourceURLs",
                f"{base}.nonResourceURLs: Invalid value: namespaced rules cannot apply to non-resource URLs "
                "(ValidatePolicyRule); put them in a ClusterRole",
                on_key=True,
            )
        mixed = [field for field in ("apiGroups", "resources", "resourceNames") if rule.get(field)]
        if mixed:
            yield Hit(
                f"{base}.nonResourceURLs",
                f"{base}.nonResourceURLs: Invalid value: rules cannot apply to both regular resources and non-resource "
                f"URLs (ValidatePolicyRule; this rule also sets {', '.join(mixed)}); split it in two",
                on_key=True,
            )
        return
    for field, what in (("apiGroups", "api group"), ("resources", "resource")):
        if not rule.get(field):
            yield Hit(
                f"{base}.{field}" if field in rule else base,
                f"{base}.{field}: Required value: resource rules must supply at least one {what} (ValidatePolicyRule)"
                + ('; "" is the core group' if field == "apiGroups" else ""),
                on_key=True,
            )


def _aggregation(rule) -> Hits:
    if not isinstance(rule, dict):
        return
    selectors = rule.get("clusterRoleSelectors")
    if not selectors:
        yield Hit(
            "aggregationRule",
            "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if "
            "aggregationRule is non-nil (ValidateClusterRole)",
            on_key=True,
        )
    for index, selector in enumerate(selectors if isinstance(selectors, list) else []):
        for path, message in selector_problems(selector, f"aggregationRule.clusterRoleSelectors[{index}]"):
            yield Hit(path, f"{message} (ValidateLabelSelector)")


def _role_ref(obj: K8sObject) -> Hits:
    ref = mapping(obj.data, "roleRef")
    if not ref:
        return  # a missing roleRef is the schema rule's
    group = ref.get("apiGroup") or GROUP  # SetDefaults_RoleBinding
    if isinstance(group, str) and group != GROUP and not has_placeholder(group):
        yield Hit(
            "roleRef.apiGroup",
            f'roleRef.apiGroup: Unsupported value: "{group}": supported values: "{GROUP}" (Validate{obj.kind})',
        )
    kind, allowed = ref.get("kind"), ROLE_KINDS[obj.kind]
    if isinstance(kind, str) and kind not in allowed and not has_placeholder(kind):
        hint = "; a ClusterRoleBinding can only bind a ClusterRole" if kind == "Role" else ""
        yield Hit(
            "roleRef.kind",
            f'roleRef.kind: Unsupported value: "{kind}": supported values: {_quoted(allowed)} (Validate{obj.kind}){hint}',
        )
    name = ref.get("name")
    if name == "" and not obj.role.partial:
        yield Hit("roleRef.name", f"roleRef.name: Required value (Validate{obj.kind})")
    elif isinstance(name, str) and not has_placeholder(name) and path_segment_error(name):
        yield Hit("roleRef.name", f'roleRef.name: Invalid value: "{name}": {path_segment_error(name)}')


def _subject(subject: dict, base: str, needs_namespace: bool) -> Hits:
    """``ValidateRoleBindingSubject``."""
    name, kind, group = subject.get("name"), subject.get("kind"), subject.get("apiGroup")
    if name == "":
        yield Hit(f"{base}.name", f"{base}.name: Required value (ValidateRoleBindingSubject)")
    if not isinstance(kind, str) or has_placeholder(kind):
        return
    if kind not in SUBJECT_KINDS:
        yield Hit(
            f"{base}.kind",
            f'{base}.kind: Unsupported value: "{kind}": supported values: {_quoted(SUBJECT_KINDS)} '
            "(ValidateRoleBindingSubject)",
        )
        return
    if kind == "ServiceAccount":
        if isinstance(name, str) and name and not has_placeholder(name) and dns_subdomain_error(name):
            yield Hit(f"{base}.name", f'{base}.name: Invalid value: "{name}": {dns_subdomain_error(name)}')
        if group:
            yield Hit(
                f"{base}.apiGroup",
                f'{base}.apiGroup: Unsupported value: "{group}": supported values: "" (ValidateRoleBindingSubject: a '
                "ServiceAccount is in the core group); remove apiGroup",
            )
        if needs_namespace and not subject.get("namespace"):
            yield Hit(
                base,
                f"{base}.namespace: Required value (ValidateRoleBindingSubject: a ServiceAccount subject of a "
                "ClusterRoleBinding names its namespace); add namespace",
                on_key=True,
            )
    elif group and group != GROUP and not has_placeholder(group):  # SetDefaults_Subject fills an empty one
        yield Hit(
            f"{base}.apiGroup",
            f'{base}.apiGroup: Unsupported value: "{group}": supported values: "{GROUP}" (ValidateRoleBindingSubject)',
        )
