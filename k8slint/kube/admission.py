"""ValidatingAdmissionPolicy offline: the policies, bindings and params of a run, and which objects they match.

What the API server's admission does on CREATE, read from
``staging/src/k8s.io/apiserver/pkg/admission/plugin/policy``: ``matching/matching.go`` (``Matches``,
``matchesResourceRules``), ``webhook/predicates/rules/rules.go`` (a rule's operations, groups, versions,
resources and scope), ``webhook/predicates/namespace/matcher.go`` (``MatchNamespaceSelector``) and
``generic/policy_dispatcher.go`` (``CollectParams``). Evaluating the CEL is ``admission_eval``'s job.

What a run cannot know is never guessed: a namespace that is not in the run has unknown labels (only
``kubernetes.io/metadata.name``, which the API server sets on every namespace), so a namespaceSelector
that needs others matches nothing (``UNKNOWN``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from k8slint.kube import selectors
from k8slint.kube.apis import guess_plural
from k8slint.kube.model import K8sObject

GROUP = "admissionregistration.k8s.io"
POLICY, BINDING = "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"
VERSIONS = ("v1", "v1beta1")  # the same shape; v1alpha1 lacked parts of it
NAME_LABEL = "kubernetes.io/metadata.name"  # set by the API server on every Namespace
UNKNOWN = None  # a match that depends on what the run does not hold


@dataclass
class Request:
    """What admission knows about the CREATE of one object."""

    obj: K8sObject
    group: str
    version: str
    kind: str
    resource: str
    namespace: str  # "" for a cluster-scoped object
    served_versions: tuple[str, ...] = ()  # the resource's versions (matchPolicy Equivalent)
    namespace_known: bool = True  # False when a kustomization sets the namespace: its labels are unknown

    @property
    def name(self) -> str:
        return self.obj.name

    def as_cel(self) -> dict:
        """The ``request`` variable (an AdmissionRequest without ``userInfo``, which no file holds)."""
        kind = {"group": self.group, "version": self.version, "kind": self.kind}
        resource = {"group": self.group, "version": self.version, "resource": self.resource}
        return {
            "kind": kind,
            "resource": resource,
            "requestKind": kind,
            "requestResource": resource,
            "subResource": "",
            "name": self.name,
            "namespace": self.namespace,
            "operation": "CREATE",
            "dryRun": False,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"},
        }


def request_for(obj: K8sObject, catalog, custom: dict) -> Request:
    """The request creating ``obj``: its resource (plural) and scope from the catalog or a CRD in ``custom``."""
    defined = custom.get(obj.group, {}).get(obj.kind)
    if defined is not None:
        resource, namespaced, versions = defined.plural, defined.namespaced, tuple(defined.versions)
    else:
        resource = catalog.resource_name(obj.group, obj.kind) or guess_plural(obj.kind)
        namespaced = catalog.namespaced(obj.group, obj.kind)
        served = (api_version.rpartition("/") for api_version in catalog.api_versions_for(obj.kind))
        versions = tuple(version for group, _, version in served if group == obj.group and version != "*")
    if namespaced is None:  # an unknown kind: namespaced, as most are
        namespaced = True
    namespace = obj.namespace if namespaced else ""
    known = not (namespaced and "namespace" in obj.role.filled and not obj.metadata.get("namespace"))
    return Request(obj, obj.group, obj.version, obj.kind, resource, namespace, versions or (obj.version,), known)


# -- matchConstraints / matchResources ---------------------------------------------------------------------------


def _listed(items, wanted: str) -> bool:
    return isinstance(items, list) and ("*" in items or wanted in items)


def rule_matches(rule, request: Request, version: str | None = None) -> bool:
    """One RuleWithOperations (``rules.Matcher``): CREATE, group, version, resource (no subresource) and scope."""
    if not isinstance(rule, dict):
        return False
    if not (_listed(rule.get("operations"), "CREATE") and _listed(rule.get("apiGroups"), request.group)):
        return False
    if not _listed(rule.get("apiVersions"), version or request.version):
        return False
    resources = rule.get("resources")
    if not isinstance(resources, list) or not any(_resource_matches(item, request.resource) for item in resources):
        return False
    scope = rule.get("scope") or "*"
    is_namespace = request.group == "" and request.resource == "namespaces"
    if scope == "Namespaced":
        return not is_namespace and request.namespace != ""
    if scope == "Cluster":
        return is_namespace or request.namespace == ""
    return True


def _resource_matches(item, resource: str) -> bool:
    if not isinstance(item, str):
        return False
    name, _, sub = item.partition("/")
    return name in ("*", resource) and sub in ("*", "")  # a CREATE has no subresource


def _rules_match(rules, request: Request, equivalent: bool) -> bool:
    """``matchesResourceRules``: some rule (and its resourceNames) matches; Equivalent also tries other versions."""
    versions = [request.version]
    if equivalent:
        versions += [version for version in request.served_versions if version != request.version]
    for version in versions:
        for rule in rules if isinstance(rules, list) else []:
            if rule_matches(rule, request, version):
                names = rule.get("resourceNames")
                if not names or (isinstance(names, list) and request.name in names):
                    return True
    return False


def namespace_labels(request: Request, namespaces: dict) -> dict | None:
    """The labels of the request's namespace, or None when the run does not hold them.

    For a Namespace, its own labels; ``namespaces`` maps a name to its labels (None: variants disagree).
    """
    if request.group == "" and request.kind == "Namespace":
        return {**request.obj.labels, NAME_LABEL: request.name}
    labels = namespaces.get(request.namespace) if request.namespace_known else None
    return {**labels, NAME_LABEL: request.namespace} if labels is not None else None


def _selector_keys(selector: dict) -> set:
    """The label keys a selector reads (None for a part that is not well formed)."""
    labels, expressions = selector.get("matchLabels") or {}, selector.get("matchExpressions") or []
    if "matchLabels" not in selector and "matchExpressions" not in selector:
        labels = selector  # an equality map
    keys = set(labels) if isinstance(labels, dict) else {None}
    for expression in expressions if isinstance(expressions, list) else [None]:
        key = expression.get("key") if isinstance(expression, dict) else None
        keys.add(key if isinstance(key, str) else None)
    return keys


def namespace_selected(selector, request: Request, namespaces: dict) -> bool | None:
    """``MatchNamespaceSelector``: cluster-scoped objects (but Namespaces) are never exempted; UNKNOWN when the
    selector needs labels of a namespace the run does not hold."""
    if request.namespace == "" and not (request.group == "" and request.kind == "Namespace"):
        return True
    if not isinstance(selector, dict) or not selector:
        return True
    labels = namespace_labels(request, namespaces)
    if labels is None:
        if request.namespace_known and _selector_keys(selector) <= {NAME_LABEL}:
            return selectors.matches(selector, {NAME_LABEL: request.namespace})
        return UNKNOWN
    return selectors.matches(selector, labels)


def resources_match(match, request: Request, namespaces: dict) -> bool | None:
    """``Matches`` for a policy's matchConstraints or a binding's matchResources (no resourceRules: all)."""
    if not isinstance(match, dict):
        return False
    selected = namespace_selected(match.get("namespaceSelector"), request, namespaces)
    if selected is False:
        return False
    chosen = match.get("objectSelector")
    if isinstance(chosen, dict) and chosen and not selectors.matches(chosen, request.obj.labels):
        return False
    equivalent = match.get("matchPolicy", "Equivalent") != "Exact"
    if _rules_match(match.get("excludeResourceRules"), request, equivalent):
        return False
    rules = match.get("resourceRules")
    if rules and not _rules_match(rules, request, equivalent):
        return False
    return selected


# -- policies, bindings, params ------------------------------------------------------------------------------------


@dataclass
class Binding:
    obj: K8sObject
    policy_name: str
    actions: tuple[str, ...]
    match: dict | None
    param_ref: dict | None

    @property
    def name(self) -> str:
        return self.obj.name


@dataclass
class Policy:
    obj: K8sObject
    spec: dict
    bindings: list[Binding] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def failure_policy(self) -> str:
        return self.spec.get("failurePolicy") or "Fail"

    @property
    def param_kind(self) -> tuple[str, str] | None:
        """(apiVersion, kind) of the params, or None."""
        kind = self.spec.get("paramKind")
        if isinstance(kind, dict) and isinstance(kind.get("kind"), str):
            return str(kind.get("apiVersion") or ""), kind["kind"]
        return None


def is_admission(obj: K8sObject, kind: str) -> bool:
    return obj.kind == kind and obj.group == GROUP and obj.version in VERSIONS


def bound_policies(objects) -> list[Policy]:
    """The policies of ``objects`` with their bindings (a binding whose policy is absent binds nothing).

    Names are cluster-wide: of several objects of one name (a file given twice, variants), the first counts.
    """
    by_name: dict[str, Policy] = {}
    bound: set[str] = set()
    for obj in objects:
        spec = obj.data.get("spec")
        if is_admission(obj, POLICY) and isinstance(spec, dict) and obj.name:
            by_name.setdefault(obj.name, Policy(obj, spec))
    for obj in objects:
        spec = obj.data.get("spec")
        if not (is_admission(obj, BINDING) and isinstance(spec, dict)):
            continue
        name = spec.get("policyName")
        policy = by_name.get(name) if isinstance(name, str) else None
        actions = spec.get("validationActions")
        if policy is None or not isinstance(actions, list) or obj.name in bound:
            continue
        bound.add(obj.name)
        match = spec.get("matchResources")
        ref = spec.get("paramRef")
        policy.bindings.append(
            Binding(
                obj,
                policy.name,
                tuple(action for action in actions if isinstance(action, str)),
                match if isinstance(match, dict) else None,
                ref if isinstance(ref, dict) else None,
            )
        )
    return [policy for policy in by_name.values() if policy.bindings]


@dataclass
class Params:
    """What ``CollectParams`` gives one binding for one request: the params to evaluate with, or why none."""

    found: list = field(default_factory=list)  # the param objects' data (None: the policy takes no params)
    missing: str | None = None  # what the run lacks: the binding cannot be evaluated offline
    deny: bool = False  # parameterNotFoundAction Deny


def collect_params(policy: Policy, binding: Binding, request: Request, objects, namespaced: bool | None) -> Params:
    """The params of ``binding`` for ``request`` among ``objects`` (``CollectParams``).

    ``namespaced``: the param kind's scope (None: not known, then a paramRef namespace decides).
    """
    kind = policy.param_kind
    ref = binding.param_ref
    if kind is None or ref is None:
        return Params([None])
    group = kind[0].rpartition("/")[0]
    namespace = ref.get("namespace") if isinstance(ref.get("namespace"), str) and ref.get("namespace") else None
    if namespaced is None:
        namespaced = namespace is not None
    if namespaced and namespace is None:
        namespace = request.namespace or None
        if namespace is None:
            return Params(missing="a namespaced paramRef without a namespace for a cluster-scoped object")
    candidates = [
        obj
        for obj in objects
        if obj.kind == kind[1] and obj.group == group and (not namespaced or obj.namespace == namespace)
    ]
    name, selector = ref.get("name"), ref.get("selector")
    where = f" in namespace {namespace}" if namespaced else ""
    if isinstance(name, str) and name:
        found = [obj for obj in candidates if obj.name == name][:1]
        wanted = f"{kind[1]} {name}{where}"
    elif isinstance(selector, dict):
        found = [obj for obj in candidates if selectors.matches(selector, obj.labels)]
        wanted = f"{kind[1]} objects selected by {selectors.describe(selector)}{where}"
    else:
        found, wanted = [], f"{kind[1]} (the paramRef names none)"
    if found:
        return Params([obj.data for obj in found])
    deny = ref.get("parameterNotFoundAction") == "Deny"
    return Params(missing=wanted, deny=deny)


def known_namespaces(objects) -> dict:
    """Namespace name -> labels, from the Namespace objects given; None where variants disagree."""
    found: dict[str, dict | None] = {}
    for obj in objects:
        if obj.kind == "Namespace" and obj.group == "" and obj.name:
            labels = obj.labels
            found[obj.name] = labels if found.get(obj.name, labels) == labels else None
    return found


# -- --policy-dir ----------------------------------------------------------------------------------------------------


@cache
def load_policy_files(paths: tuple[str, ...]) -> tuple[K8sObject, ...]:
    """Every Kubernetes object in the files/directories of ``--policy-dir`` / config ``policies`` (policies,
    bindings, their params, namespaces). A missing path or a file that is not YAML is a CatalogError."""
    from k8slint.kube.given import given_objects

    return tuple(given_objects(paths, "policy")) if paths else ()
