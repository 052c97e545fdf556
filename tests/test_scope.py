"""Cross-file rules see an object's own directory and the directories below it (``Index``).

So linting a directory gives, for the files of each subdirectory, exactly the findings of linting that
subdirectory alone: on a small tree of our own (every subdirectory) and on real repositories (each immediate
subdirectory). What a run knows about custom resources (the CRDs it holds) is cluster-wide knowledge, not a
reference, and is left out of the comparison on the real repositories.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FIXTURES, SHARED, lint_json

from k8slint.kube.apis import catalog_for

TREE = FIXTURES / "scope"
REALWORLD = SHARED / "corpus" / "realworld"
REPOSITORIES = (
    "Azure-Samples__aks-store-demo",
    "GoogleCloudPlatform__bank-of-anthos",
    "kubeflow__manifests",
    "kubernetes-sigs__kustomize",
    "stefanprodan__podinfo",
    "microservices-demo__microservices-demo",
)


def _findings(path, cwd) -> set:
    code, report = lint_json(path, cwd=cwd)
    assert code in (0, 1) or (code, report["findings"], report["summary"]["files"]) == (2, [], 0), report
    return {
        (os.path.normpath(f["file"]), f["line"], f["column"], f["rule"], f["message"].replace("./", ""), f["object"])
        for f in report["findings"]
    }


def _under(findings: set, directory: str) -> set:
    return {f for f in findings if f[0].startswith(directory + os.sep)}


def _subdirectories(root: Path, recursive: bool):
    found = root.rglob("*") if recursive else root.iterdir()
    return sorted(str(p.relative_to(root)) for p in found if p.is_dir() and not p.name.startswith("."))


def test_linting_the_tree_equals_linting_each_subdirectory():
    whole = _findings(".", TREE)
    assert whole, "the fixture tree has findings to compare"
    for sub in _subdirectories(TREE, recursive=True):
        assert _under(whole, sub) == _findings(sub, TREE), sub


def test_another_environment_does_not_satisfy_a_reference():
    findings = {(f[0], f[3], f[4].split(" is ")[0]) for f in _findings(".", TREE)}
    assert ("envs/prod/app.yaml", "reference-missing", "ConfigMap web-settings") in findings
    assert not [f for f in findings if f[0].startswith("envs/dev/") and f[1] == "reference-missing"]
    assert not [f for f in findings if f[1] == "duplicate-object"], "dev and prod are not duplicates"


def test_an_ingress_backend_needs_a_core_service_not_a_knative_one():
    messages = [f[4] for f in _findings("shop", TREE) if f[3] == "reference-missing"]
    assert messages == [
        "backend Service storefront is not defined in namespace default under shop/web/, so requests to this path "
        "fail (503); fix the name or add the Service"
    ]
    assert not [f for f in _findings("shop", TREE) if f[3] == "apiversion-mismatch"]


def test_a_quota_above_an_application_reports_at_the_quota():
    quota = [f for f in _findings(".", TREE) if f[3] == "quota-requires-resources"]
    assert [(f[0], f[1]) for f in quota] == [("shop/quota.yaml", 8)]
    assert "Deployment shop-web (shop/web/web.yaml:13)" in quota[0][4]


def _custom(finding) -> bool:
    """A finding that depends on which CRDs the run holds."""
    if finding[3] == "unknown-custom-resource":
        return True
    if finding[3] != "schema" or not finding[5]:
        return False
    api_version, kind, _, _ = finding[5].rsplit("/", 3)
    return catalog_for().classify(api_version, kind).status == "custom"


@pytest.mark.parametrize("repository", REPOSITORIES)
def test_real_repositories_give_the_same_findings_from_the_parent_and_from_each_subdirectory(repository):
    root = REALWORLD / repository
    assert root.is_dir(), f"{root} is missing: the shared realworld corpus must be beside the repository"
    whole = {f for f in _findings(".", root) if not _custom(f)}
    for sub in _subdirectories(root, recursive=False):
        if not any(p.suffix in (".yaml", ".yml") for p in (root / sub).rglob("*")):
            continue
        alone = {f for f in _findings(sub, root) if not _custom(f)}
        assert _under(whole, sub) == alone, sub


def test_a_namespace_set_by_the_kustomization_is_not_taken_for_default(tmp_path):
    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\n"
        "resources: [service.yaml, deployment.yaml]\n"
    )
    (tmp_path / "service.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n"
    )
    (tmp_path / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        "    spec: {containers: [{name: web, image: nginx:1.27}]}\n"
    )
    code, report = lint_json("--select", "service-selector-no-match", ".", cwd=tmp_path)
    assert (code, report["findings"]) == (0, [])


def test_around_holds_the_objects_of_a_directory_and_below_in_the_order_the_run_met_them():
    """``Index.around`` finds a directory's subtree by one search of the sorted places; checked against its
    definition on random trees whose names sort around "/" ("a-b", "a.b", "a0" beside "a/...")."""
    import random
    from types import SimpleNamespace

    from k8slint.index import Index, place

    rng = random.Random(7)
    names = ["a", "b", "a-b", "ab", "a.b", "a0", "b0", "z"]
    for _ in range(200):
        files = [
            os.path.join(os.sep, *[rng.choice(names) for _ in range(rng.randint(0, 4))], "f.yaml")
            for _ in range(rng.randint(1, 30))
        ]
        objects = [
            SimpleNamespace(doc=SimpleNamespace(file=file), kind="ConfigMap", namespace="ns", name="x", group="")
            for file in files
        ]
        index = Index(objects)
        for obj in objects:
            top = place(obj)
            expected = [o for o in objects if place(o) == top or place(o).startswith(top.rstrip(os.sep) + os.sep)]
            expected.sort(key=lambda o: [place(p) for p in objects].index(place(o)))
            assert index.around(obj) == expected, (top, files)


def test_quotas_of_one_namespace_at_two_places_each_see_their_own_limit_ranges(tmp_path):
    """The LimitRange in ``team/`` fills the requests the ResourceQuota there counts; ``team/app`` applied alone has
    no LimitRange, so its own quota refuses the pods and counts nothing for them."""
    (tmp_path / "team" / "app").mkdir(parents=True)
    quota = "apiVersion: v1\nkind: ResourceQuota\nmetadata: {{name: {}, namespace: shop}}\nspec: {{hard: {{requests.cpu: 50m}}}}\n"
    (tmp_path / "team" / "quota.yaml").write_text(
        quota.format("team") + "---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults, namespace: shop}\n"
        "spec: {limits: [{type: Container, defaultRequest: {cpu: 100m}}]}\n"
    )
    (tmp_path / "team" / "app" / "web.yaml").write_text(
        quota.format("app")
        + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        "    spec: {containers: [{name: web, image: nginx:1.27}]}\n"
    )
    expected = {
        ("team/quota.yaml", "quota-exceeded", "v1/ResourceQuota/shop/team"),
        ("team/app/web.yaml", "quota-requires-resources", "apps/v1/Deployment/shop/web"),
    }
    for path in (".", "team", "team/app"):
        found = {(f[0], f[3], f[5]) for f in _findings(path, tmp_path) if f[3].startswith("quota-")}
        assert found == {f for f in expected if f[0].startswith(path.lstrip("."))}, path
