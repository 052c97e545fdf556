"""``--context DIR``: the given files are reported as a run over the whole tree would report them, reading only
their directories and what every object of a run sees (CRDs, webhooks, admission policies, namespaces, compose
files that pull others in), whatever the cache holds.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace

import pytest
from conftest import SHARED, WEB_DEPLOYMENT, WEB_SERVICE, WIDGET, WIDGET_CRD, lint_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8slint import cache, observed
from k8slint.config import Settings
from k8slint.engine import lint_paths

DEPLOYMENT = WEB_DEPLOYMENT.replace("TAG", "1.25") + "          envFrom: [{configMapRef: {name: settings}}]\n"
SERVICE = WEB_SERVICE.replace("LABEL", "web")
SETTINGS = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {a: b}\n"
GIVEN = ["app/deployment.yaml", "app/widget.yaml"]


def _tree(root, label="web", size_type="string", crd_at="crds/crd.yaml", settings_at="app/settings.yaml", crd_in=None):
    """The tree for these settings; a file whose text stays the same is left as it is (its status too).

    ``crd_in``: a kustomization beside the CRD names it among its ``resources`` or as a transformer's
    ``configurations`` (then it holds no object), or there is none.
    """
    files = {
        "app/deployment.yaml": DEPLOYMENT.replace("LABEL", label),
        "app/service.yaml": SERVICE,
        "app/widget.yaml": WIDGET,
        "other/service.yaml": SERVICE,
        "other/deeper/widget.yaml": WIDGET,
    }
    if settings_at:
        files[settings_at] = SETTINGS
    if crd_at:
        files[crd_at] = WIDGET_CRD.replace("TYPE", size_type)
        if crd_in:
            files[os.path.join(os.path.dirname(crd_at), "kustomization.yaml")] = f"{crd_in}: [crd.yaml]\n"
    for folder in ("app", "crds", "other", "other/deeper"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for path in root.rglob("*.yaml"):
        if path.relative_to(root).as_posix() not in files:
            path.unlink()
    for name, text in files.items():
        if not (root / name).exists() or (root / name).read_text() != text:
            (root / name).write_text(text)


def _findings(result, files) -> list:
    wanted = {os.path.normpath(path) for path in files}
    return [
        replace(finding, edits=tuple(finding.edits), file=os.path.normpath(finding.file))
        for finding in result.findings
        if os.path.normpath(finding.file) in wanted
    ]


EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("label"), st.sampled_from(["web", "webb"])),
        st.tuples(st.just("size_type"), st.sampled_from(["string", "integer"])),
        # the CRD moves: beside the given files, elsewhere, below another directory, into no file at all
        st.tuples(st.just("crd_at"), st.sampled_from(["crds/crd.yaml", "app/crd.yaml", "other/deeper/crd.yaml", None])),
        # the ConfigMap the Deployment reads: in its directory (found), in another (not seen), nowhere
        st.tuples(st.just("settings_at"), st.sampled_from(["app/settings.yaml", "other/settings.yaml", None])),
        # what the CRD file is: a kustomization beside it may make it a transformer's input, its text unchanged
        st.tuples(st.just("crd_in"), st.sampled_from([None, "resources", "configurations"])),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_given_files_are_reported_as_the_whole_tree_run_reports_them_cached_or_not(
    tmp_path_factory, monkeypatch, edits
):
    monkeypatch.setattr(observed, "RACY_NS", -(10**12))  # statuses trusted at once: files left alone are known by them
    root = tmp_path_factory.mktemp("context")
    tree, state = root / "tree", {}
    options = Settings(jobs=1, cache_dir=str(root / "cache"))
    given_files = [str(tree / path) for path in GIVEN]
    tree.mkdir()
    _tree(tree)
    lint_paths(given_files, options, context=[str(tree)])
    for what, value in edits:
        state[what] = value
        _tree(tree, **state)
        cached = _findings(lint_paths(given_files, options, context=[str(tree)]), given_files)
        fresh = _findings(lint_paths(given_files, replace(options, cache=False), context=[str(tree)]), given_files)
        whole = _findings(lint_paths([str(tree)], replace(options, cache=False)), given_files)
        assert cached == fresh, (what, value)
        assert _without_summaries(fresh) == _without_summaries(whole), (what, value)


def _without_summaries(findings: list) -> list:
    """A summary of a kind no CRD defines counts the objects the run read: the tree, or the given directories."""
    return [finding for finding in findings if finding.rule != "unknown-custom-resource"]


def test_a_run_with_context_loads_only_the_given_files_directories_and_what_every_object_sees(tmp_path, monkeypatch):
    tree = tmp_path / "tree"
    tree.mkdir()
    _tree(tree)
    options = Settings(jobs=1, cache_dir=str(tmp_path / "cache"))
    given_file = str(tree / "app" / "deployment.yaml")
    first = lint_paths([given_file], options, context=[str(tree)])
    assert "selector-mismatch" not in {f.rule for f in first.findings}
    loaded = []
    real_get = cache.Store.get

    def get(store, key):
        entry = real_get(store, key)
        if entry is not None and hasattr(entry, "source"):  # one file's result
            loaded.append(os.path.relpath(entry.source.display, tree))
        return entry

    monkeypatch.setattr(cache.Store, "get", get)
    _tree(tree, label="webb")  # the edited file is linted again; the Service beside it no longer selects its pods
    second = lint_paths([given_file], options, context=[str(tree)])
    assert sorted(loaded) == ["app/service.yaml", "app/settings.yaml", "app/widget.yaml", "crds/crd.yaml"]
    assert "selector-mismatch" in {f.rule for f in second.findings}
    assert _findings(second, [given_file]) == _findings(
        lint_paths([str(tree)], replace(options, cache=False)), [given_file]
    )


def test_a_policy_that_takes_params_makes_the_whole_tree_indexed(tmp_path):
    (tmp_path / "policies").mkdir()
    (tmp_path / "params").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "policies" / "policy.yaml").write_text(
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: replicas}\n"
        "spec:\n  paramKind: {apiVersion: v1, kind: ConfigMap}\n"
        "  matchConstraints:\n    resourceRules:\n      - apiGroups: [apps]\n        apiVersions: [v1]\n"
        "        operations: [CREATE, UPDATE]\n        resources: [deployments]\n"
        "  validations:\n    - expression: object.spec.replicas <= int(params.data.max)\n"
        "      message: too many replicas\n---\n"
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\n"
        "metadata: {name: replicas}\nspec:\n  policyName: replicas\n"
        "  paramRef: {name: limits, namespace: default, parameterNotFoundAction: Deny}\n"
        "  validationActions: [Deny]\n"
    )
    (tmp_path / "params" / "limits.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: limits, namespace: default}\ndata: {max: '2'}\n"
    )
    (tmp_path / "app" / "deployment.yaml").write_text(
        DEPLOYMENT.replace("LABEL", "web").replace("spec:\n  selector", "spec:\n  replicas: 5\n  selector")
    )
    whole = [f for f in lint_json(".", cwd=tmp_path)[1]["findings"] if f["file"] == "./app/deployment.yaml"]
    given = lint_json("--context", ".", "app/deployment.yaml", cwd=tmp_path)[1]["findings"]
    assert "admission-policy-denied" in {f["rule"] for f in whole}
    assert [{**f, "file": "app/deployment.yaml"} for f in whole] == given


REALWORLD = SHARED / "corpus" / "realworld"
# compose files that include and extend others, CRDs and their resources, a large kustomize tree, overrides
REPOSITORIES = ("docker__compose", "kubernetes-sigs__cluster-api", "kubeflow__manifests", "frappe__frappe_docker")


@pytest.mark.parametrize("repository", REPOSITORIES)
def test_real_repositories_report_given_files_as_the_whole_tree_does(repository):
    root = REALWORLD / repository
    assert root.is_dir(), f"{root} is missing: the shared realworld corpus must be beside the repository"
    files = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.y*ml")
        if not any(part.startswith(".") for part in path.relative_to(root).parts)
    )
    given_files = random.Random(repository).sample(files, 12)

    def findings(*args):
        code, report = lint_json(*args, cwd=root)
        assert code in (0, 1), report
        return sorted(
            (os.path.normpath(f["file"]), f["line"], f["column"], f["rule"], f["message"].replace("./", ""))
            for f in report["findings"]
            if os.path.normpath(f["file"]) in {os.path.normpath(path) for path in given_files}
            and f["rule"] != "unknown-custom-resource"  # see _without_summaries
        )

    assert findings("--context", ".", *given_files) == findings(".")
