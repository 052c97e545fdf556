"""The API catalog: verdicts per (apiVersion, kind), version flags, kubectl api-resources files."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from k8slint.kube.apiresources import parse_api_resources
from k8slint.kube.apis import CatalogError, catalog_for, parse_kubernetes_version, supported_minors

RESOURCES = FIXTURES / "api-resources"


@pytest.fixture(scope="module")
def k130():
    return catalog_for("1.30")


@pytest.mark.parametrize(
    ("api_version", "kind", "status"),
    [
        ("apps/v1", "Deployment", "ok"),
        ("v1", "ConfigMap", "ok"),
        ("v1", "List", "ok"),
        ("apps/v1", "DeploymentList", "ok"),
        ("v1", "Deployment", "mismatch"),
        ("extensions/v1beta1", "Deployment", "removed"),
        ("policy/v1beta1", "PodSecurityPolicy", "removed"),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "deprecated"),
        ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "removed"),
        ("v1", "ReplicationContoller", "unknown-kind"),
        ("extensions/v1beta1", "Widget", "unknown-kind"),
        ("cert-manager.io/v1", "Certificate", "custom"),
        ("apps/v1/extra", "Deployment", "bad-apiversion"),
        ("Apps/v1", "Deployment", "bad-apiversion"),
        (42, "Deployment", "bad-apiversion"),
        ("v1", ["ConfigMap"], "bad-kind"),
    ],
)
def test_classify(k130, api_version, kind, status):
    assert k130.classify(api_version, kind).status == status


def test_removal_facts_and_candidates(k130):
    verdict = k130.classify("extensions/v1beta1", "Ingress")
    assert (verdict.removal.deprecated, verdict.removal.removed, verdict.removal.replacement) == (
        (1, 14),
        (1, 22),
        "networking.k8s.io/v1",
    )
    assert k130.classify("v1", "Deployment").candidates == ("apps/v1",)
    assert k130.api_versions_for("HorizontalPodAutoscaler") == ["autoscaling/v2", "autoscaling/v1"]


def test_the_target_version_decides():
    assert catalog_for("1.25").classify("autoscaling/v2beta2", "HorizontalPodAutoscaler").status == "deprecated"
    assert catalog_for("1.26").classify("autoscaling/v2beta2", "HorizontalPodAutoscaler").status == "removed"
    assert catalog_for("1.33").classify("storage.k8s.io/v1", "VolumeAttributesClass").status == "mismatch"
    assert catalog_for("1.34").classify("storage.k8s.io/v1", "VolumeAttributesClass").status == "ok"


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("ReplicationContoller", ["ReplicationController"]),
        ("deployment", ["Deployment"]),
        ("Deploymnet", ["Deployment"]),
        ("StatefullSet", ["StatefulSet"]),
        ("deploy", ["Deployment"]),
        ("svc", ["Service"]),
        ("Zebra", []),
    ],
)
def test_kind_suggestions(k130, typo, meant):
    assert k130.suggest_kinds(typo) == meant


def test_scope(k130):
    assert k130.namespaced("rbac.authorization.k8s.io", "ClusterRole") is False
    assert k130.namespaced("", "PersistentVolumeClaim") is True
    assert k130.namespaced("example.com", "Widget") is None


@pytest.mark.parametrize("text", ["2.0", "1.x", "1.24", "1.99", "", "latest"])
def test_bad_versions_name_the_supported_range(text):
    with pytest.raises(CatalogError, match=r"1\.25 to 1\.37"):
        parse_kubernetes_version(text)


def test_good_versions():
    assert parse_kubernetes_version("v1.30.2") == (1, 30)
    assert supported_minors() == list(range(25, 38))


def test_plain_table_from_a_cluster():
    catalog = catalog_for(None, str(RESOURCES / "cluster-1.33.txt"))
    assert catalog.classify("cert-manager.io/v1", "Certificate").status == "ok"
    assert catalog.namespaced("cert-manager.io", "ClusterIssuer") is False
    # kubectl prints only each group's preferred version: other versions cannot be judged
    assert catalog.classify("autoscaling/v1", "HorizontalPodAutoscaler").status == "ok"
    assert catalog.classify("extensions/v1beta1", "Ingress").status == "removed"


def test_old_apigroup_table_keeps_removed_apis_served():
    catalog = catalog_for(None, str(RESOURCES / "cluster-1.15.txt"))
    assert catalog.classify("extensions/v1beta1", "Deployment").status == "deprecated"
    assert catalog.classify("v1", "Pod").status == "ok"
    assert catalog.namespaced("extensions", "PodSecurityPolicy") is False


def test_wide_table_with_verb_lists():
    catalog = catalog_for(None, str(RESOURCES / "wide.txt"))
    assert [r.kind for r in catalog.resources] == ["Binding", "ConfigMap", "Deployment"]
    assert catalog.resources[2].shortnames == ("deploy",)


def test_names_output_completes_built_ins_and_matches_custom_plurals():
    catalog = catalog_for(None, str(RESOURCES / "names.txt"))
    assert catalog.classify("apps/v1", "Deployment").status == "ok"
    assert catalog.classify("cert-manager.io/v1", "Certificate").status == "ok"
    assert catalog.classify("cert-manager.io/v1", "Issuer").status == "unknown-kind"
    assert catalog.namespaced("", "Pod") is True


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.txt", r"malformed.txt:2: expected `NAME"),
        ("missing.txt", r"cannot read --api-resources file"),
    ],
)
def test_bad_api_resources_files(name, message):
    with pytest.raises(CatalogError, match=message):
        catalog_for(None, str(RESOURCES / name))


def test_empty_api_resources_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    with pytest.raises(CatalogError, match="is empty"):
        catalog_for(None, str(empty))


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(), st.none()), st.one_of(st.text(max_size=30), st.none()))
def test_classify_never_raises(api_version, kind):
    assert catalog_for("1.37").classify(api_version, kind).status in {
        "ok",
        "deprecated",
        "removed",
        "mismatch",
        "unknown-kind",
        "custom",
        "bad-apiversion",
        "bad-kind",
    }


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_is_a_one_line_error(text):
    try:
        rows = parse_api_resources(text, "apis.txt", [])
    except CatalogError as err:
        assert "\n" not in str(err)
    else:
        assert rows
