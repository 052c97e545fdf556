"""The pure pieces of compose support: ports, durations, byte sizes, interpolation, .env, schema messages, merging."""

from __future__ import annotations

import pytest

from k8slint.compose.dotenv import parse_dotenv
from k8slint.compose.durations import parse_duration
from k8slint.compose.interpolate import TemplateError, interpolate, interpolate_tree
from k8slint.compose.merge import Merger
from k8slint.compose.model import ComposeDocument
from k8slint.compose.mounts import parse_mount
from k8slint.compose.ports import PortError, PortSpec, overlaps, parse_port
from k8slint.compose.schema import validate
from k8slint.compose.sizes import parse_byte_size


@pytest.mark.parametrize(
    ("entry", "spec"),
    [
        ("3000", PortSpec((3000, 3000), None)),
        (3000, PortSpec((3000, 3000), None)),
        ("3000-3005", PortSpec((3000, 3005), None)),
        ("8000:8000", PortSpec((8000, 8000), (8000, 8000))),
        ("9090-9091:8080-8081", PortSpec((8080, 8081), (9090, 9091))),
        ("127.0.0.1:8001:8001", PortSpec((8001, 8001), (8001, 8001), "127.0.0.1")),
        ("127.0.0.1::5000", PortSpec((5000, 5000), None, "127.0.0.1")),
        ("[::1]:6001:6001", PortSpec((6001, 6001), (6001, 6001), "::1")),
        ("6060:6060/UDP", PortSpec((6060, 6060), (6060, 6060), "", "udp")),
        ("8000-8010:80", PortSpec((80, 80), (8000, 8010))),
        (
            {"target": 80, "published": "8080-8081", "host_ip": "0.0.0.0", "protocol": "tcp"},
            PortSpec((80, 80), (8080, 8081), "0.0.0.0"),
        ),
        ({"target": 80}, PortSpec((80, 80), None)),
    ],
)
def test_port_syntaxes(entry, spec):
    assert parse_port(entry) == spec


@pytest.mark.parametrize(
    "entry",
    [
        "70000",
        "80:0",
        "abc",
        "8080:80/http",
        "localhost:80:80",
        "9091-9090:80-81",
        "9090-9092:8080-8081",
        True,
        {"published": 80},
        "",
    ],
)
def test_invalid_ports(entry):
    with pytest.raises(PortError):
        parse_port(entry)


def test_port_overlap_respects_ip_and_protocol():
    a, b = parse_port("127.0.0.1:8080:80"), parse_port("127.0.0.2:8080:80")
    assert not overlaps(a, b)
    assert overlaps(a, parse_port("8080:81"))
    assert not overlaps(parse_port("53:53/udp"), parse_port("53:53"))
    assert overlaps(parse_port("8000-8010:8000-8010"), parse_port("8010:1"))
    assert not overlaps(parse_port("8080"), parse_port("8080"))


@pytest.mark.parametrize(
    ("text", "seconds"), [("10s", 10), ("1m30s", 90), ("1.5h", 5400), ("500ms", 0.5), ("0", 0), ("2h45m", 9900)]
)
def test_durations(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["10", "10 seconds", "1min", "", "s", 10, None])
def test_not_durations(text):
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("value", "size"),
    [(1024, 1024), ("512m", 512 << 20), ("1gb", 1 << 30), ("256MiB", 256 << 20), ("100", 100), ("1.5k", 1536)],
)
def test_byte_sizes(value, size):
    assert parse_byte_size(value) == size


@pytest.mark.parametrize("value", ["512 megabytes", "1.5 gigs", "ib", "-1", True, [], "1x"])
def test_not_byte_sizes(value):
    assert parse_byte_size(value) is None


@pytest.mark.parametrize(
    ("text", "env", "result"),
    [
        ("${A}", {"A": "x"}, "x"),
        ("$A-$B", {"A": "1", "B": "2"}, "1-2"),
        ("${A:-d}", {"A": ""}, "d"),
        ("${A-d}", {"A": ""}, ""),
        ("${A-d}", {}, "d"),
        ("${A:+alt}", {"A": "x"}, "alt"),
        ("${A+alt}", {}, ""),
        ("$${A} costs $$5", {"A": "x"}, "${A} costs $5"),
        ("${A:-${B:-deep}}", {}, "deep"),
        ("price $ 5", {}, "price $ 5"),
    ],
)
def test_interpolation(text, env, result):
    assert interpolate(text, env).text == result


def test_interpolation_reports_missing_and_required():
    result = interpolate("${A}:${B:?need B}:${C:-ok}", {})
    assert [(m.name, m.required, m.message) for m in result.missing] == [("A", False, ""), ("B", True, "need B")]


@pytest.mark.parametrize("text", ["${A", "${1A}", "${A:x}", "${}"])
def test_malformed_templates(text):
    with pytest.raises(TemplateError):
        interpolate(text, {})


def test_interpolate_tree_keeps_keys_and_records_paths():
    data, problems = interpolate_tree({"services": {"${K}": {"image": "n:${TAG}", "x": [1, "${Y"]}}}, {})
    assert data == {"services": {"${K}": {"image": "n:", "x": [1, "${Y"]}}}
    assert [(p.path, bool(p.error)) for p in problems] == [
        (("services", "${K}", "image"), False),
        (("services", "${K}", "x", 1), True),
    ]


def test_dotenv():
    text = "# c\nexport A=1\nB = \"two ${A}\\n\"\nC='lit ${A}'\nD=x # comment\nE\n"
    assert parse_dotenv(text) == {"A": "1", "B": "two 1\n", "C": "lit ${A}", "D": "x", "E": ""}


@pytest.mark.parametrize(
    ("entry", "kind", "source", "target"),
    [
        ("data:/var/lib", "volume", "data", "/var/lib"),
        ("./data:/var/lib:ro", "bind", "./data", "/var/lib"),
        ("/srv:/srv", "bind", "/srv", "/srv"),
        ("C:\\data:/data", "bind", "C:\\data", "/data"),
        ("/anonymous", "volume", None, "/anonymous"),
        ({"type": "tmpfs", "target": "/t"}, "tmpfs", None, "/t"),
    ],
)
def test_mounts(entry, kind, source, target):
    mount = parse_mount(entry)
    assert (mount.type, mount.source, mount.target) == (kind, source, target)


def test_schema_resolves_alternatives_and_suggests_keys():
    errors = validate(
        {
            "services": {
                "web": {"image": "x", "ports": [{"target": 80, "publised": 8080}], "depends_on": "db", "x-ok": 1}
            },
            "x-top": 1,
        }
    )
    assert [(e.path, e.unknown_key) for e in errors] == [
        (("services", "web", "depends_on"), False),
        (("services", "web", "ports", 0, "publised"), True),
    ]
    assert "must be a list or a mapping" in errors[0].message
    assert "did you mean 'published'" in errors[1].message
    assert validate({"service": {}})[0].message == "unknown key 'service' in the top level; did you mean 'services'?"


class _Doc:
    def __init__(self, name):
        self.file = name


def _source(name, data):
    return ComposeDocument(_Doc(name), data, data, None)


def test_merge_rules_and_origins():
    base = _source(
        "a.yml",
        {
            "services": {
                "web": {
                    "image": "x:1",
                    "command": ["a", "b"],
                    "environment": ["A=1", "B=2"],
                    "ports": ["80:80"],
                    "volumes": ["./a:/data"],
                }
            }
        },
    )
    over = _source(
        "b.yml",
        {
            "services": {
                "web": {"command": ["c"], "environment": {"B": "3"}, "ports": ["81:81"], "volumes": ["./b:/data"]}
            }
        },
    )
    merger = Merger()
    merger.add(base)
    merger.add(over)
    web = merger.data["services"]["web"]
    assert web["command"] == ["c"]
    assert web["environment"] == {"A": "1", "B": "3"}
    assert web["ports"] == ["80:80", "81:81"]
    assert web["volumes"] == ["./b:/data"]
    origin = lambda *path: (merger.origins[path][0].doc.file, merger.origins[path][1])  # noqa: E731
    assert origin("services", "web", "environment", "A") == ("a.yml", ("services", "web", "environment", 0))
    assert origin("services", "web", "environment", "B") == ("b.yml", ("services", "web", "environment", "B"))
    assert origin("services", "web", "ports", 1) == ("b.yml", ("services", "web", "ports", 0))
    assert origin("services", "web", "image") == ("a.yml", ("services", "web", "image"))


def test_fast_and_explaining_validators_agree(shared):
    from k8slint.compose.casts import cast_tree
    from k8slint.compose.schema import is_valid
    from k8slint.yamlio import parse_stream

    files = sorted((shared / "corpus").glob("awesome-compose/*/compose.y*ml")) + sorted(
        (shared / "corpus").glob("dclint/tests/**/*.y*ml")
    )
    checked = 0
    for path in files:
        documents, _ = parse_stream(path.read_text(encoding="utf-8"), yaml12=True)
        for document in documents:
            data, cast_failures = cast_tree(document.data)  # validate() checks the schema after the loader's casts
            verdict = is_valid(data)
            if verdict is None:
                pytest.skip("jsonschema-rs is not installed")
            assert verdict == (len(validate(document.data, fast=False)) == len(cast_failures)), path
            checked += 1
    assert checked > 50
