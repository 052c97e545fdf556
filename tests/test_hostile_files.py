"""Hostile files and paths: each is one finding (or read correctly), nothing hangs, the other files are linted."""

from __future__ import annotations

import json
import os
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from conftest import FIXTURES, lint_json, run_cli, run_subprocess

GOOD = FIXTURES / "examples" / "rc.yaml"
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: encoded\ndata:\n  key: value\n"


def _unreadable(report, name):
    return [f["message"] for f in report["findings"] if f["file"].endswith(name) and f["rule"] == "file-unreadable"]


def _good_still_linted(report):
    assert [f["rule"] for f in report["findings"] if f["file"].endswith("rc.yaml")] == ["selector-mismatch"]


def test_fifo_in_a_walked_directory_is_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")  # opening it for reading would block until a writer comes
    (tmp_path / "rc.yaml").write_text(GOOD.read_text())
    start = time.perf_counter()
    proc = run_subprocess("lint", "--format", "json", tmp_path)
    assert time.perf_counter() - start < 60
    report = json.loads(proc.stdout)
    assert _unreadable(report, "pipe.yaml") == [
        f"cannot read {tmp_path}/pipe.yaml: is a named pipe (FIFO), not a regular file; not read"
    ]
    _good_still_linted(report)


def test_device_named_explicitly_is_not_read():
    _, report = lint_json("/dev/zero", GOOD)  # endless: reading it would never finish
    assert _unreadable(report, "/dev/zero") == [
        "cannot read /dev/zero: is a character device, not a regular file; not read"
    ]
    _good_still_linted(report)


def test_a_file_longer_than_its_status_says_is_read_whole_and_held_to_the_limit():
    """A regular file whose size is not known in advance (procfs here; FUSE and network filesystems alike, or a
    file still being written) is read to its end, and refused once it passes the size limit."""
    from k8slint.sources import SourceError, read_bytes

    path = "/proc/version"  # a regular file of size 0 that reads as one line
    if not os.path.isfile(path) or os.stat(path).st_size:
        pytest.skip("needs Linux procfs")
    whole = Path(path).read_bytes()
    assert len(whole) > 2 and read_bytes(path) == whole
    assert read_bytes(path, len(whole)) == whole
    with pytest.raises(SourceError, match="grew while being read"):
        read_bytes(path, len(whole) - 1)


def test_symlink_loop(tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    _, report = lint_json(tmp_path, GOOD)
    assert _unreadable(report, "a.yaml") == [
        f"cannot read {tmp_path}/a.yaml: a symlink loop (too many levels of symbolic links)"
    ]
    assert len(_unreadable(report, "b.yaml")) == 1
    _good_still_linted(report)


def test_file_removed_during_the_run(tmp_path, monkeypatch):
    import k8slint.parse

    target = tmp_path / "gone.yaml"
    target.write_text(CONFIGMAP)
    real = k8slint.parse.parse_source

    def remove_first(source, *args):
        if source.path == str(target):
            target.unlink()  # found by discovery, gone when read
        return real(source, *args)

    monkeypatch.setattr("k8slint.engine.parse_source", remove_first)
    _, report = lint_json(target, GOOD)
    assert _unreadable(report, "gone.yaml") == [f"cannot read {target}: no such file (removed during the run?)"]
    _good_still_linted(report)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-16", "utf-32-le", "utf-32-be", "utf-32", "utf-8-sig"])
def test_utf16_and_utf32_with_and_without_bom_are_read(tmp_path, codec):
    target = tmp_path / "encoded.yaml"
    target.write_bytes(CONFIGMAP.replace("value", "1").encode(codec))  # `key: 1` is a number: a schema error
    _, report = lint_json(target)
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"]] == [("schema", 6, 8)]


@pytest.mark.parametrize(
    ("raw", "words", "line"),
    [
        (b"apiVersion: v1\nkind: ConfigMap\n" + b"a: \x00\n", "contains NUL bytes", 3),
        (CONFIGMAP.encode("utf-16-le")[:-1], "not valid UTF-16-LE", 1),
        ("a: caf\u00e9\n".encode("latin-1"), "not valid UTF-8", 1),
    ],
)
def test_binary_and_broken_encodings_are_one_finding(tmp_path, raw, words, line):
    target = tmp_path / "bad.yaml"
    target.write_bytes(raw)
    _, report = lint_json(target, GOOD)
    [finding] = [f for f in report["findings"] if f["file"].endswith("bad.yaml")]
    assert finding["rule"] == "file-unreadable" and words in finding["message"] and finding["line"] == line
    _good_still_linted(report)


def test_python_tags_and_tag_directives_are_never_constructed(tmp_path):
    marker = tmp_path / "constructed"
    target = tmp_path / "tags.yaml"
    target.write_text(
        "%TAG !e! tag:example.com,2000:app/\n---\n"
        + CONFIGMAP
        + f"  run: !!python/object/apply:os.system ['touch {marker}']\n"
        "  other: !e!thing value\n  obj: !!python/object:collections.OrderedDict {a: 1}\n"
    )
    code, report = lint_json(target)
    assert not marker.exists()
    assert code in (0, 1) and "internal-error" not in {f["rule"] for f in report["findings"]}


def test_million_tiny_documents_stop_at_the_document_limit(tmp_path):
    target = tmp_path / "many.yaml"
    target.write_text("---\n" * 1_000_000)
    start = time.perf_counter()
    _, report = lint_json(target, GOOD)
    assert time.perf_counter() - start < 60
    [finding] = [f for f in report["findings"] if f["file"].endswith("many.yaml")]
    assert finding["rule"] == "yaml-syntax" and "more than 100,000 documents" in finding["message"]
    assert finding["line"] == 100_002
    _good_still_linted(report)


def test_50_mb_line_with_the_limit_raised(tmp_path):
    target = tmp_path / "long.yaml"
    target.write_text(CONFIGMAP + "  long: " + "x" * 50_000_000 + "\n")
    start = time.perf_counter()
    code, report = lint_json("--max-file-size", 60_000_000, target)
    assert time.perf_counter() - start < 30
    # the one finding is true: the API server refuses a ConfigMap over 1 MiB (ValidateConfigMap)
    assert code == 1 and [(f["rule"], f["line"]) for f in report["findings"]] == [("config-data-invalid", 5)]


def test_stdin_past_the_size_limit_and_binary_stdin_are_one_finding():
    result = run_cli("lint", "--format", "json", "--max-file-size", 100, "-", input="a: " + "x" * 200)
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "file-unreadable" and "standard input goes past the 0 MB limit" in finding["message"]
    result = run_cli("lint", "--format", "json", "-", input=b"a: \x00\n")
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "file-unreadable" and "NUL" in finding["message"]


def test_names_with_newlines_and_invalid_utf8_are_shown_escaped_in_every_format(tmp_path):
    directory = os.fsencode(tmp_path)
    for name in (b"new\nline.yaml", b"bad\xff.yaml", b"esc\x1b[2J.yaml"):
        with open(os.path.join(directory, name), "wb") as handle:
            handle.write(GOOD.read_bytes())
    outputs = {
        fmt: run_cli("lint", "--format", fmt, "--jobs", 1, tmp_path).stdout
        for fmt in ("json", "sarif", "junit", "text")
    }
    files = {os.path.basename(f["file"]) for f in json.loads(outputs["json"])["findings"]}
    assert files == {"new\\nline.yaml", "bad\ufffd.yaml", "esc\\x1b[2J.yaml"}
    json.loads(outputs["sarif"])
    ElementTree.fromstring(outputs["junit"].encode())
    assert "\x1b" not in outputs["text"] and "new\nline" not in outputs["text"]


def test_compose_side_files_that_are_devices_fifos_or_huge_are_not_read(tmp_path):
    os.mkfifo(tmp_path / ".env")  # read for interpolation: a FIFO would block
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "huge.yaml").write_bytes(b"services: {}\n" + b"#" * (11 * 1024 * 1024))
    (tmp_path / "compose.yaml").write_text(
        "include:\n  - fifo.yaml\n  - huge.yaml\n  - /dev/zero\n"
        "services:\n  web:\n    image: nginx:1.27\n    env_file: [/dev/zero]\n"
        "    extends:\n      file: /dev/zero\n      service: base\n"
    )
    start = time.perf_counter()
    proc = run_subprocess("lint", "--format", "json", tmp_path / "compose.yaml")
    assert time.perf_counter() - start < 60
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert "internal-error" not in {f["rule"] for f in report["findings"]}
    assert all(f["file"].endswith("compose.yaml") for f in report["findings"])


def test_fifos_named_like_json_manifests_gitignore_or_helm_output_are_not_opened(tmp_path):
    for name in ("pipe.json", ".gitignore", "rendered.yaml"):
        os.mkfifo(tmp_path / name)
    (tmp_path / "rc.yaml").write_text(GOOD.read_text())
    proc = run_subprocess("lint", "--format", "json", tmp_path)
    report = json.loads(proc.stdout)
    assert _unreadable(report, "rendered.yaml") == [
        f"cannot read {tmp_path}/rendered.yaml: is a named pipe (FIFO), not a regular file; not read"
    ]
    _good_still_linted(report)
