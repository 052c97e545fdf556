"""Property tests for fixing: generated manifests in many layouts.

* the applier: a random edit (set a scalar, add a subtree, rename or delete a
  key) on generated YAML is applied, not refused; re-parsing gives the data
  with exactly that edit; every comment outside a deleted or replaced subtree
  survives; line endings and the final newline are kept;
* the fix command: after ``fix``, the data is the same except at the paths
  the applied fixes name, and a second ``fix`` changes nothing;
* real layouts: a fix-like edit on every corpus manifest is applied.
"""

from __future__ import annotations

import copy
import random
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8slint import yamlio
from k8slint.config import Settings
from k8slint.findings import Edit
from k8slint.fixing import fix_paths
from k8slint.fixing.pathops import apply_edit
from k8slint.fixing.textedit import FixRefused, apply_finding_edits
from k8slint.kube.model import dig

WORDS = [
    "web",
    "api",
    "yes",
    "no",
    "1.0",
    "0755",
    "true",
    "null",
    "a b",
    "x:y",
    "#tag",
    "it's",
    "café",
    "~",
    "80",
    "-1",
]
KEYS = ["app", "tier", "team", "app.kubernetes.io/name", "track", "release"]


class Layout:
    """How a generated document is written: indentation, dash offset, quoting, flow leaves, decorations."""

    def __init__(self, draw):
        self.mapping = draw(st.sampled_from([2, 4]))
        self.offset = draw(st.sampled_from([0, 2]))
        self.quote = draw(st.sampled_from(["", "'", '"']))
        self.flow_leaves = draw(st.booleans())
        self.draw = draw
        self.comments = 0

    def scalar(self, value) -> str:
        if value == {} or value == []:
            return "{}" if isinstance(value, dict) else "[]"
        return yamlio.scalar_text(value, self.quote if isinstance(value, str) else "", False)

    def decorate(self, line: str) -> list[str]:
        choice = self.draw(st.sampled_from(["", "", "comment", "trailing", "above"]))
        if choice == "comment":
            return [f"{line}  # c{self.next()}"]
        if choice == "trailing":
            return [line + "   "]
        if choice == "above":
            indent = len(line) - len(line.lstrip(" -"))
            return [" " * indent + f"# c{self.next()}", line]
        return [line]

    def next(self) -> int:
        self.comments += 1
        return self.comments

    def mapping_lines(self, data: dict, column: int) -> list[str]:
        lines: list[str] = []
        for key, value in data.items():
            head = " " * column + self.scalar(key) + ":"
            if (
                isinstance(value, dict)
                and value
                and self.flow_leaves
                and not any(isinstance(v, (dict, list)) for v in value.values())
            ):
                lines += self.decorate(
                    head + " {" + ", ".join(f"{self.scalar(k)}: {self.scalar(v)}" for k, v in value.items()) + "}"
                )
            elif isinstance(value, dict) and value:
                lines += self.decorate(head) + self.mapping_lines(value, column + self.mapping)
            elif isinstance(value, list) and value:
                lines += self.decorate(head) + self.sequence_lines(value, column + self.offset)
            else:
                lines += self.decorate(head + " " + self.scalar(value))
        return lines

    def sequence_lines(self, items: list, dash: int) -> list[str]:
        lines: list[str] = []
        for item in items:
            if isinstance(item, dict) and item:
                body = self.mapping_lines(item, dash + 2)
                lines.append(" " * dash + "- " + body[0][dash + 2 :])
                lines += body[1:]
            else:
                lines += self.decorate(" " * dash + "- " + self.scalar(item))
        return lines


labels = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(WORDS), min_size=1, max_size=3)


@st.composite
def workloads(draw) -> dict:
    kind = draw(st.sampled_from(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]))
    pod_labels = draw(labels)
    spec: dict = {}
    if draw(st.booleans()):
        spec["replicas"] = draw(st.integers(0, 5))
    selector = draw(st.sampled_from(["none", "empty", "match"]))
    if selector == "empty":
        spec["selector"] = {}
    elif selector == "match":
        spec["selector"] = {"matchLabels": dict(pod_labels)}
    container = {"name": "main", "image": draw(st.sampled_from(["nginx:1.27", "busybox"]))}
    if draw(st.booleans()):
        container["ports"] = [{"containerPort": draw(st.integers(1, 65535))}]
    spec["template"] = {"metadata": {"labels": pod_labels}, "spec": {"containers": [container]}}
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": draw(st.sampled_from(["web", "db"]))},
        "spec": spec,
    }


@st.composite
def streams(draw):
    """(text, number of documents, line ending) of one to three generated documents."""
    documents = draw(
        st.lists(
            st.one_of(
                workloads(),
                st.builds(
                    lambda data: {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": data},
                    labels,
                ),
            ),
            min_size=1,
            max_size=3,
        )
    )
    layout = Layout(draw)
    chunks = []
    for index, document in enumerate(documents):
        head = []
        if index or draw(st.booleans()):
            head.append("---" + draw(st.sampled_from(["", f" # c{layout.next()}"])))
        if draw(st.booleans()):
            head.append(f"# c{layout.next()}")
        chunks.append("\n".join(head + layout.mapping_lines(document, 0)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = "\n".join(chunks) + draw(st.sampled_from(["\n", ""]))
    return text.replace("\n", newline), documents


def _paths(data, prefix=()):
    """Every (path parts, value) of the data."""
    yield prefix, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, prefix + (index,))


def _dotted(parts) -> str:
    path = ""
    for part in parts:
        path = (
            f"{path}[{part}]"
            if isinstance(part, int)
            else (path + "." if path else "") + (f'["{part}"]' if "." in part else part)
        )
    return path


@st.composite
def edits(draw, documents):
    index = draw(st.integers(0, len(documents) - 1))
    nodes = [(parts, value) for parts, value in _paths(documents[index]) if parts]
    op = draw(st.sampled_from(["set-scalar", "set-new", "rename", "delete"]))
    if op == "set-scalar":
        parts, _ = draw(st.sampled_from([(p, v) for p, v in nodes if not isinstance(v, (dict, list))]))
        return index, Edit("set", _dotted(parts), draw(st.sampled_from(WORDS + [7, True])))
    mappings = [(p, v) for p, v in [((), documents[index])] + nodes if isinstance(v, dict) and v]
    parts, mapping = draw(st.sampled_from(mappings))
    if op == "set-new":
        return index, Edit("set", _dotted(parts + ("added",)), draw(st.sampled_from([{"k": "yes"}, ["a", "b"], "x"])))
    key = draw(st.sampled_from(sorted(mapping)))
    if op == "rename":
        return index, Edit("rename", _dotted(parts + (key,)), "renamed")
    if len(mapping) == 1:
        return index, Edit("set", _dotted(parts + (key,)), "x")
    return index, Edit("delete", _dotted(parts + (key,)))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_an_edit_on_generated_yaml_is_applied_exactly(data):
    text, documents = data.draw(streams())
    index, edit = data.draw(edits(documents))
    fixed = apply_finding_edits(text, index, [edit], yaml12=False)
    expected = copy.deepcopy(documents)
    apply_edit(expected[index], edit.op, edit.path, edit.value)
    parsed, error = yamlio.parse_stream(fixed)
    assert error is None and [item.data for item in parsed] == expected
    lost = set(re.findall(r"# c\d+", text)) - set(re.findall(r"# c\d+", fixed))
    replaced = edit.op == "delete" or isinstance(dig(documents[index], edit.path), (dict, list))
    assert not lost or replaced
    assert ("\r\n" in fixed) == ("\r\n" in text) and fixed.endswith("\n") == text.endswith("\n")


def _without(data, paths):
    data = copy.deepcopy(data)
    for parts in paths:
        node = data
        for part in parts[:-1]:
            node = (
                node[part]
                if isinstance(node, (dict, list)) and (part in node if isinstance(node, dict) else part < len(node))
                else None
            )
        if isinstance(node, dict):
            node.pop(parts[-1], None)
    return data


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streams())
def test_fix_changes_only_the_fixed_paths_and_is_idempotent(stream):
    text, documents = stream
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "manifests.yaml"
        target.write_bytes(text.encode())
        options = Settings(jobs=1)
        report = fix_paths([str(target)], options, unsafe=True)
        assert not [reason for outcome in report.files for _, reason in outcome.refused]
        fixed = [
            (finding.document, yamlio.split_path(edit.path))
            for outcome in report.files
            for finding in outcome.fixed
            for edit in finding.edits
        ]
        after = [item.data for item in yamlio.parse_stream(target.read_bytes().decode())[0]]
        assert len(after) == len(documents)
        for index, (old, new) in enumerate(zip(documents, after, strict=False)):
            paths = [parts for document, parts in fixed if document == index]
            assert _without(old, paths) == _without(new, paths)
        assert not any(f.edits for f in report.result.findings if not f.suppressed)
        first = target.read_bytes()
        assert not fix_paths([str(target)], options, unsafe=True).changed
        assert target.read_bytes() == first


def _corpus_edit(rng, data):
    """A random edit of the kinds fixes make: a scalar value, a new key, a new block, a rename, a deletion."""
    nodes = [
        (parts, value)
        for parts, value in _paths(data)
        if parts and all(isinstance(p, int) or '"' not in p for p in parts)
    ]
    keyed = [(parts, value) for parts, value in nodes if isinstance(parts[-1], str)]
    mappings = [(parts, value) for parts, value in [((), data)] + nodes if isinstance(value, dict) and value]
    op = rng.choice(["scalar", "new-key", "block", "rename", "delete"])
    if op == "scalar" and any(not isinstance(v, (dict, list)) for _, v in keyed):
        parts, _ = rng.choice([(p, v) for p, v in keyed if not isinstance(v, (dict, list))])
        return Edit("set", _dotted(parts), "fixed-value")
    if op in ("new-key", "block") or not keyed:
        parts, _ = rng.choice(mappings)
        return Edit("set", _dotted(parts + ("added",)), {"key": ["yes", 1]} if op == "block" else "yes")
    parts, _ = rng.choice(keyed)
    return Edit("rename", _dotted(parts), "renamed") if op == "rename" else Edit("delete", _dotted(parts))


def test_random_fix_like_edits_on_every_corpus_manifest_apply_exactly(shared):
    """Real layouts (without anchors, which make one edit change several places): nothing is refused."""
    rng = random.Random(8)
    refused = []
    for path in sorted((shared / "corpus").rglob("*.y*ml")):
        text = path.read_bytes().decode("utf-8-sig")
        parsed, error = yamlio.parse_stream(text)
        if error or "&" in text or not parsed or any(item.issues for item in parsed):
            continue
        index = rng.randrange(len(parsed))
        if not isinstance(parsed[index].data, dict) or not parsed[index].data:
            continue
        edit = _corpus_edit(rng, parsed[index].data)
        try:
            apply_finding_edits(text, index, [edit], yaml12=False)
        except FixRefused as exc:
            refused.append((path.name, edit, str(exc)))
    assert not refused
