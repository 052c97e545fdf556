"""Derived facts: values computed from what a pattern captured.

A knowledge-base entry names the enrichers it wants under ``enrich:``; each takes
the captured facts and returns extra facts for the fix templates (a suggested kind, the replacement of
a removed apiVersion, the per-container list a quota error names, ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    return word + "s"


def _api_kind(facts: dict) -> dict:
    """Explain a kind/apiVersion pair the server did not recognise, from the lint engine's API catalog."""
    kind = facts.get("kind")
    if not kind:
        return {}
    return dict(_classify_kind(kind, facts.get("api_version") or ""))


@lru_cache(maxsize=256)
def _classify_kind(kind: str, api_version: str) -> tuple:
    from k8slint.kube.apis import catalog_for

    catalog = catalog_for()
    verdict = catalog.classify(api_version, kind)
    if verdict.status == "removed" and verdict.removal is not None:
        return tuple(
            {
                "problem": "removed-api",
                "replacement_api_version": verdict.removal.replacement or "none (the kind itself was removed)",
                "removed_in": "{}.{}".format(*verdict.removal.removed),
            }.items()
        )
    if verdict.status == "mismatch" and verdict.candidates:
        return (("problem", "wrong-api-version"), ("suggested_api_version", verdict.candidates[0]))
    guesses = catalog.suggest_kinds(kind) if not catalog.knows_kind(kind) else []
    if guesses:
        return tuple(
            {
                "problem": "kind-typo",
                "suggested_kind": guesses[0],
                "suggested_api_version": catalog.api_versions_for(guesses[0])[0],
            }.items()
        )
    group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
    out = {"problem": "missing-crd", "crd_group": group}
    if group:  # CRD names are <plural>.<group>; the usual English plural is a guess
        out["crd_hint"] = f"{_plural(kind.lower())}.{group}"
    return tuple(out.items())


QUOTA_PART = re.compile(r"^\s*(?P<resource>[\w./-]+)\s+for:\s*(?P<containers>[\w.,\s-]+?)\s*$")


def _quota(facts: dict) -> dict:
    """Split 'limits.cpu for: a,b; requests.cpu for: a' into resources and containers."""
    text = facts.get("requirements", "")
    resources: list[str] = []
    containers: list[str] = []
    for part in text.split(";"):
        m = QUOTA_PART.match(part)
        if m:
            resources.append(m.group("resource"))
            for name in m.group("containers").split(","):
                if name.strip() and name.strip() not in containers:
                    containers.append(name.strip())
        else:
            resources.extend(r.strip() for r in part.split(",") if r.strip())
    # "cpu" on its own (newer wording) means both the request and the limit may be needed
    kinds = sorted({r.rsplit(".", 1)[-1] for r in resources})
    return {
        "missing_resources": resources,
        "containers": containers,
        "resource_names": kinds or ["cpu", "memory"],
    }


def _image(facts: dict) -> dict:
    """Registry host and a coarse class of the pull failure from its detail text."""
    out: dict = {}
    image = facts.get("image")
    if image:
        first = image.split("/", 1)[0]
        out["registry"] = (
            first if "/" in image and ("." in first or ":" in first or first == "localhost") else "docker.io"
        )
    detail = (facts.get("detail") or "").lower()
    if any(
        w in detail
        for w in (
            "unauthorized",
            "denied",
            "authorization failed",
            "insufficient_scope",
            "authentication required",
            "403 forbidden",
        )
    ):
        out["pull_problem"] = "auth"
    elif any(w in detail for w in ("not found", "manifest unknown", "does not exist")):
        out["pull_problem"] = "not-found"
    elif "toomanyrequests" in detail or "rate limit" in detail:
        out["pull_problem"] = "rate-limit"
    elif "no match for platform" in detail:
        out["pull_problem"] = "platform"
    elif "x509" in detail or "certificate" in detail:  # reached the registry, did not trust it
        out["pull_problem"] = "certificate"
    elif any(
        w in detail for w in ("i/o timeout", "no such host", "connection refused", "tls handshake", "context deadline")
    ):
        out["pull_problem"] = "network"
    return out


def _explain(facts: dict) -> dict:
    """The 'kubectl explain' path of the object that holds an unknown field."""
    path = facts.get("path")
    field = facts.get("field", "")
    if path:  # ValidationError(Deployment.spec.template.spec.containers[0])
        parts = re.sub(r"\[\d+\]", "", path).split(".")
    elif facts.get("kind"):  # Pod ... unknown field "spec.image"
        parts = [facts["kind"], *re.sub(r"\[\d+\]", "", field).split(".")[:-1]]
    else:
        return {}
    parts[0] = parts[0].lower()
    return {"explain_path": ".".join(p for p in parts if p)}


MEBI = 2**20


def _memory_limit(facts: dict) -> dict:
    """A memory limit comfortably above the current one (twice it, in Mi or whole Gi)."""
    from k8slint.kube.quantity import parse_quantity

    try:
        current = parse_quantity(str(facts.get("memory_limit", "")))
    except ValueError:
        return {}
    if current <= 0:
        return {}
    mebibytes = -(-int(current * 2) // MEBI)
    suggested = f"{mebibytes // 1024}Gi" if mebibytes % 1024 == 0 else f"{mebibytes}Mi"
    return {"suggested_memory_limit": suggested}


def _port_owner(facts: dict) -> dict:
    """Which process listens on the port the error names, from ss/netstat/lsof output in the paste."""
    owner = (facts.get("listeners") or {}).get(str(facts.get("port", "")))
    return {"port_owner": owner} if owner else {}


ENRICHERS: dict[str, Callable[[dict, dict], dict]] = {
    "api-kind": _api_kind,
    "quota": _quota,
    "image": _image,
    "explain": _explain,
    "memory-limit": _memory_limit,
    "port-owner": _port_owner,
}


def enrich(names: list[str], facts: dict) -> dict:
    """Return facts plus everything the named enrichers derive (captured values win)."""
    derived: dict = {}
    for name in names:
        derived.update(ENRICHERS[name](facts))
    return {**derived, **facts}
