"""The result cache: unchanged files are not linted again, and a cached run always reports what a fresh run would."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace

from conftest import FIXTURES, WEB_DEPLOYMENT, WEB_SERVICE, WIDGET, WIDGET_CRD, run_cli, run_subprocess
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8slint import cache, engine, observed
from k8slint.config import Settings
from k8slint.engine import lint_paths
from k8slint.layout import PLAIN

COMPOSE = """\
services:
  app:
    image: redis:TAG
    networks: ["${NET:-NETWORK}"]
networks:
  back: {}
"""


def _tree(root, label="web", tag="1.25", network="back"):
    (root / "app").mkdir(exist_ok=True)
    (root / "app" / "deployment.yaml").write_text(WEB_DEPLOYMENT.replace("LABEL", label).replace("TAG", tag))
    (root / "app" / "service.yaml").write_text(WEB_SERVICE.replace("LABEL", "web"))
    (root / "compose.yaml").write_text(COMPOSE.replace("TAG", tag).replace("NETWORK", network))
    (root / "widget.yaml").write_text(WIDGET)


def _report(result):
    return [replace(finding, edits=tuple(finding.edits)) for finding in result.findings]


class Counting:
    """Counts the files the engine really lints (run with one job, so in this process)."""

    def __init__(self, monkeypatch):
        self.files = []
        real = engine.lint_file

        def lint_file(source, settings, rules):
            self.files.append(os.path.basename(source.display))
            return real(source, settings, rules)

        monkeypatch.setattr(engine, "lint_file", lint_file)


def test_unchanged_files_are_not_linted_again_and_report_the_same(tmp_path, monkeypatch):
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    tree.mkdir()
    _tree(tree)
    counting = Counting(monkeypatch)
    options = Settings(jobs=1, cache_dir=str(cache))
    first = lint_paths([str(tree)], options)
    assert sorted(counting.files) == ["compose.yaml", "deployment.yaml", "service.yaml", "widget.yaml"]
    counting.files.clear()
    second = lint_paths([str(tree)], options)
    assert counting.files == []
    assert _report(second) == _report(first)

    _tree(tree, label="webb")  # the Service no longer selects the Deployment's pods: a cross-file finding appears
    third = lint_paths([str(tree)], options)
    assert counting.files == ["deployment.yaml"]
    assert _report(third) == _report(lint_paths([str(tree)], Settings(jobs=1, cache=False)))
    assert _report(third) != _report(first)


def test_a_changed_setting_or_crd_file_is_never_served_stale(tmp_path, monkeypatch):
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    tree.mkdir()
    _tree(tree)
    crds = tmp_path / "crds"
    crds.mkdir()
    (crds / "widget.yaml").write_text(WIDGET_CRD.replace("TYPE", "integer"))
    counting = Counting(monkeypatch)
    base = Settings(jobs=1, cache_dir=str(cache), crds=[str(crds)])
    lint_paths([str(tree)], base)
    for changed in (
        replace(base, kubernetes_version="1.30"),
        replace(base, rules={"image-tag": {"allowed-tags": ["1.25"]}}),
        replace(base, select=["image-tag"]),
        replace(base, namespace="other"),
    ):
        counting.files.clear()
        cached = lint_paths([str(tree)], changed)
        assert counting.files, f"a run with {changed} reused results made under other settings"
        assert _report(cached) == _report(lint_paths([str(tree)], replace(changed, cache=False)))
    counting.files.clear()
    (crds / "widget.yaml").write_text(WIDGET_CRD.replace("TYPE", "string"))  # spec.size: 3 is now the wrong type
    cached = lint_paths([str(tree)], base)
    assert "widget.yaml" in counting.files
    assert _report(cached) == _report(lint_paths([str(tree)], replace(base, cache=False)))


def _spy(monkeypatch, owner, name: str) -> list:
    """The positional arguments of every call of ``owner.name`` from now on (the calls still happen)."""
    calls, real = [], getattr(owner, name)

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)
    return calls


def test_an_unchanged_run_is_answered_whole_until_a_file_it_read_beside_the_tree_changes(tmp_path, monkeypatch):
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    tree.mkdir()
    _tree(tree)
    options = Settings(jobs=1, cache_dir=str(cache))
    first = lint_paths([str(tree)], options)
    combined = _spy(monkeypatch, engine, "combine")
    second = lint_paths([str(tree)], options)
    assert combined == []  # no cross-file work at all
    assert _report(second) == _report(first)
    assert [obj.ref for obj in second.objects] == [obj.ref for obj in first.objects]

    (tree / ".env").write_text("NET=front\n")  # not linted, but the compose project interpolates from it
    third = lint_paths([str(tree)], options)
    assert len(combined) == 1
    assert "compose-undefined-reference" in {f.rule for f in third.findings} - {f.rule for f in first.findings}
    assert _report(third) == _report(lint_paths([str(tree)], replace(options, cache=False)))


def test_files_whose_status_is_unchanged_are_not_read_again_and_edits_are_seen(tmp_path, monkeypatch):
    tree, cache_dir = tmp_path / "tree", tmp_path / "cache"
    tree.mkdir()
    _tree(tree)
    options = Settings(jobs=1, cache_dir=str(cache_dir))
    monkeypatch.setattr(observed, "RACY_NS", -(10**12))  # trust statuses however recent (the tree was just written)
    read = _spy(monkeypatch, cache.Store, "key")
    first = lint_paths([str(tree)], options)
    assert (
        len({source.display for _, source in read}) == 4
    )  # named before linting, and again after (a file changed meanwhile is not stored)
    read.clear()
    assert _report(lint_paths([str(tree)], options)) == _report(first)
    assert read == []
    deployment = tree / "app" / "deployment.yaml"
    deployment.write_text(deployment.read_text().replace("app: web}", "app: wex}"))  # same size: its times move
    edited = lint_paths([str(tree)], options)
    assert {os.path.basename(source.display) for _, source in read} == {"deployment.yaml"}
    assert _report(edited) == _report(lint_paths([str(tree)], replace(options, cache=False)))
    assert _report(edited) != _report(first)
    for dotenv in ("NET=back\n", "NET=fron\n"):  # read by the compose project, not linted; the same size
        (tree / ".env").write_text(dotenv)
        assert _report(lint_paths([str(tree)], options)) == _report(
            lint_paths([str(tree)], replace(options, cache=False))
        )


EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("label"), st.sampled_from(["web", "webb", "Bad Label!"])),
        st.tuples(st.just("tag"), st.sampled_from(["1.25", "latest", "1.25"])),
        st.tuples(st.just("network"), st.sampled_from(["back", "front"])),
        st.tuples(st.just("delete"), st.sampled_from(["compose.yaml", "widget.yaml", "app/service.yaml"])),
        st.tuples(st.just("garble"), st.sampled_from(["app/deployment.yaml", "compose.yaml"])),
        st.tuples(st.just("version"), st.sampled_from(["1.24", "1.37"])),
        st.tuples(st.just("ignore"), st.sampled_from([[], ["image-tag"], ["selector-mismatch"]])),
        st.tuples(st.just("dotenv"), st.sampled_from(["NET=front\n", "NET=back\n", None])),
        st.tuples(st.just("environ"), st.sampled_from(["front", None])),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_cached_and_fresh_runs_agree_over_any_edit_sequence(tmp_path_factory, edits):
    root = tmp_path_factory.mktemp("seq")
    tree, cache = root / "tree", root / "cache"
    tree.mkdir()
    state = {"label": "web", "tag": "1.25", "network": "back"}
    options = Settings(jobs=1, cache_dir=str(cache))
    _tree(tree, **state)
    lint_paths([str(tree)], options)
    try:
        for what, value in edits:
            options = _edit(tree, state, options, what, value)
            assert _report(lint_paths([str(tree)], options)) == _report(
                lint_paths([str(tree)], replace(options, cache=False))
            )
    finally:
        os.environ.pop("NET", None)


def _edit(tree, state: dict, options: Settings, what: str, value) -> Settings:
    """Apply one edit of ``EDITS`` to the tree, the process environment or the settings; the settings after it."""
    if what in state:
        state[what] = value
        _tree(tree, **state)
    elif what == "delete":
        (tree / value).unlink(missing_ok=True)
    elif what == "garble":
        (tree / value).write_text("key: [unclosed\n")
    elif what == "version":
        return replace(options, kubernetes_version=value)
    elif what == "ignore":
        return replace(options, ignore=value)
    elif value is None:  # no .env file, no NET in the environment
        (tree / ".env").unlink(missing_ok=True) if what == "dotenv" else os.environ.pop("NET", None)
    elif what == "dotenv":  # read by the compose project, never linted itself
        (tree / ".env").write_text(value)
    else:
        os.environ["NET"] = value
    return options


def _cli_json(*args):
    result = run_cli("lint", "-f", "json", "--jobs", "1", *args)
    return json.loads(result.output)["findings"]


def test_a_tree_with_rendered_output_reports_the_same_from_the_cache(tmp_path):
    tree, cache_dir = tmp_path / "tree", tmp_path / "cache"
    tree.mkdir()
    _tree(tree)
    rendered = os.path.join(os.path.dirname(__file__), "..", "fixtures", "render", "helm", "rendered.yaml")
    shutil.copy(rendered, tree / "rendered.yaml")  # `helm template` output, linted as rendered beside plain files
    named = [str(tree / "rendered.yaml"), str(tree / "app" / "deployment.yaml")]  # named files are sniffed
    fresh = _cli_json("--no-cache", *named)
    for _ in range(2):  # filling the cache, then answered whole from it
        assert _cli_json("--cache-dir", str(cache_dir), *named) == fresh


def test_corrupt_entries_are_ignored_and_written_again(tmp_path):
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    tree.mkdir()
    _tree(tree, label="webb")
    fresh = _cli_json("--no-cache", str(tree))
    _cli_json("--cache-dir", str(cache), str(tree))
    entries = [path for path in (cache / "v1").rglob("*") if path.is_file()]
    assert [path.suffix for path in entries].count("") == 4  # one per file, and remembered cross-file spans
    assert ".spans" in {path.suffix for path in entries}
    for path in entries:
        path.write_bytes(b"\x80\x05not a pickle")
    assert _cli_json("--cache-dir", str(cache), str(tree)) == fresh
    assert all(path.read_bytes()[:1] == b"\x80" and b"not a pickle" not in path.read_bytes() for path in entries)
    assert _cli_json("--cache-dir", str(cache), str(tree)) == fresh


def test_no_cache_writes_nothing_and_an_unwritable_cache_is_no_error(tmp_path, monkeypatch):
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    tree.mkdir()
    _tree(tree)
    fresh = _cli_json("--no-cache", "--cache-dir", str(cache), str(tree))
    assert not cache.exists()
    cache.write_text("a file where the cache folder should be")
    monkeypatch.setenv("K8SLINT_CACHE_DIR", str(cache))
    assert _cli_json(str(tree)) == fresh


def test_the_cache_lives_outside_the_linted_tree_by_default(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    _tree(tree)
    before = sorted(path.name for path in tree.rglob("*"))
    run_cli("lint", str(tree))
    assert sorted(path.name for path in tree.rglob("*")) == before
    shown = run_cli("cache", "dir").output.strip()
    assert shown == os.environ["K8SLINT_CACHE_DIR"]


def test_the_cache_folder_is_tagged_and_walks_pass_over_tagged_folders(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    _tree(tree)
    cache_dir = tree / "build" / "k8slint-cache"  # a cache kept inside the tree (CI often does)
    _cli_json("--cache-dir", str(cache_dir), str(tree))
    assert (cache_dir / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    (cache_dir / "stray.yaml").write_text("kind: [unclosed\n")  # never discovered: the folder is a cache
    assert _cli_json("--cache-dir", str(cache_dir), str(tree)) == _cli_json("--no-cache", str(tree))
    assert not any("stray" in finding["file"] for finding in _cli_json("--no-cache", str(tree)))


def test_cache_clean_removes_only_our_entries(tmp_path):
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    tree.mkdir()
    _tree(tree)
    cache.mkdir()
    (cache / "notes.txt").write_text("not ours")
    (cache / "photos").mkdir()
    (cache / "photos" / "a.jpg").write_text("not ours either")
    _cli_json("--cache-dir", str(cache), str(tree))
    result = run_cli("cache", "clean", "--cache-dir", str(cache))
    assert result.exit_code == 0
    assert "removed" in result.output
    assert int(result.output.split("removed ")[1].split()[0]) >= 4
    assert sorted(str(path.relative_to(cache)) for path in cache.rglob("*")) == ["notes.txt", "photos", "photos/a.jpg"]
    shutil.rmtree(cache)
    assert run_cli("cache", "clean", "--cache-dir", str(cache)).exit_code == 0


def test_the_cache_keeps_to_its_size_dropping_the_oldest_entries_and_scans_only_now_and_then(tmp_path):
    store = cache.Store(tmp_path, Settings(), checked=True)
    for i in range(6):
        store.put(f"{i:02d}entry", b"x" * 1000)
        os.utime(store._path(f"{i:02d}entry"), (1_000_000 + i, 1_000_000 + i))
    store.prune(max_bytes=3500, always=True)
    assert [store.get(f"{i:02d}entry") is not None for i in range(6)] == [False, False, False, True, True, True]
    store.put("06entry", b"x" * 1000)  # over the size again, but the last scan was a moment ago
    store.prune(max_bytes=3500)
    assert store.get("03entry") is not None
    store.written = cache.PRUNE_AFTER  # a run that wrote many entries scans at once
    store.prune(max_bytes=3500)
    assert store.get("03entry") is None and store.get("06entry") is not None


def test_a_kustomize_resource_is_taken_from_the_cache_by_a_later_process(tmp_path):
    """Its role (fields the kustomization fills: a set) names its entry the same whatever the string hash seed."""
    (tmp_path / "kustomization.yaml").write_text("namespace: shop\ncommonLabels: {app: web}\nresources: [app.yaml]\n")
    (tmp_path / "app.yaml").write_text(WEB_DEPLOYMENT.replace("LABEL", "web").replace("TAG", "1.25"))
    cache_dir = tmp_path / "cache"

    def entries():
        return sorted(path.name for path in cache_dir.rglob("*") if path.is_file() and not path.suffix)

    for seed in ("1", "2"):
        done = run_subprocess("lint", "--cache-dir", cache_dir, tmp_path / "app.yaml", env={"PYTHONHASHSEED": seed})
        assert done.returncode in (0, 1), done.stderr
        if seed == "1":
            first = entries()
    assert first and entries() == first  # the second process wrote no entry of its own for the file


def test_an_edited_kustomization_gives_its_files_their_new_roles(tmp_path, monkeypatch):
    """Kustomizations are remembered by status between runs; an edit to one is seen at once."""
    monkeypatch.setattr(observed, "RACY_NS", 0)  # statuses are trusted at once (else files this new are read again)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "app.yaml").write_text(WEB_DEPLOYMENT.replace("LABEL", "web").replace("TAG", "1.25"))
    patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: -1\n"
    (tree / "replicas-patch.yaml").write_text(patch)
    options = Settings(jobs=1, cache_dir=str(tmp_path / "cache"))
    severities = []
    for patches in ("patches: [{path: replicas-patch.yaml}]\n", "", "patches: [{path: replicas-patch.yaml}]\n"):
        (tree / "kustomization.yaml").write_text("resources: [app.yaml]\n" + patches)
        cached = lint_paths([str(tree)], options)
        assert _report(cached) == _report(lint_paths([str(tree)], replace(options, cache=False)))
        severities.append({f.severity for f in cached.findings if f.file.endswith("replicas-patch.yaml")})
    assert severities[0] == severities[2] != severities[1]  # a patch nothing uses: an error there is a warning


def test_reports_do_not_depend_on_the_string_hash_seed(tmp_path):
    """Two processes with different hash seeds report the fixtures alike, byte for byte (baselines, SARIF)."""
    reports = []
    for seed in ("1", "2"):
        out = tmp_path / f"report-{seed}.json"
        done = run_subprocess(
            "lint", "--no-cache", FIXTURES, "--format", "json", "-o", out, env={"PYTHONHASHSEED": seed}
        )
        assert done.returncode in (0, 1), done.stderr
        reports.append(out.read_bytes())
    assert reports[0] == reports[1] and json.loads(reports[0])["findings"]


def test_a_file_keeps_its_entry_name_by_status_until_its_role_may_have_changed(tmp_path, monkeypatch):
    """A context file's role is not worked out while its status and the layout are unchanged; a kustomization
    that changes, or an assert file beside a kuttl step (whose role hangs on its neighbours), names it anew."""
    monkeypatch.setattr(observed, "RACY_NS", -(10**12))
    monkeypatch.chdir(tmp_path)
    os.mkdir("case")
    for name in ("app.yaml", "case/00-install.yaml"):
        with open(name, "w") as handle:
            handle.write(WEB_DEPLOYMENT.replace("LABEL", "web").replace("TAG", "1.25"))
    store = cache.open_store(Settings(cache_dir=str(tmp_path / "cache")))

    def keys():
        sources = [engine.Source(name, name) for name in ("app.yaml", "case/00-install.yaml")]
        layout = engine.read_layout(["."])
        return cache.keys_of(store, sources, layout), [source.role for source in sources]

    first, roles = keys()
    assert keys() == (first, [PLAIN, PLAIN])  # known by status: no role worked out (the default stands)
    with open("kustomization.yaml", "w") as handle:
        handle.write("patches: [{path: app.yaml}]\n")
    patched, roles = keys()
    assert patched[0] != first[0] and roles[0].partial and patched[1] == first[1]
    with open("case/00-assert.yaml", "w") as handle:
        handle.write("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n")
    stepped, roles = keys()
    assert stepped[1] != first[1] and roles[1].partial
