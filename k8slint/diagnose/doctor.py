"""``k8slint doctor``: read-only checks of kubectl, the kubeconfig and the node.

Each check returns a :class:`CheckResult`; failures carry diagnoses from the
same knowledge base ``diagnose`` uses, either by matching what a command really
printed (the server check runs ``kubectl version`` and diagnoses its output) or
by naming the entry for a condition found by inspection (swap on, a kubeconfig
that does not parse).  Nothing is ever written: kubectl gets a throw-away
--cache-dir, no stdin, and a hard timeout that kills its whole process group.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from k8slint import yamlio

STATUS_WORDS = {"pass": "PASS", "fail": "FAIL", "warn": "WARN", "info": "INFO", "skip": "SKIP"}


@dataclass
class CheckResult:
    name: str
    status: str  # pass | fail | warn | info | skip
    detail: str
    diagnoses: list = field(default_factory=list)
    data: dict = field(default_factory=dict)


@dataclass
class Ran:
    returncode: int | None  # None: timed out or could not start
    stdout: str
    stderr: str
    error: str = ""


def absolute_path() -> str:
    """``$PATH`` without its relative entries (``.``, ``bin``, an empty entry): a repository being inspected
    must not be able to put its own ``kubectl`` in front of the real one."""
    entries = os.environ.get("PATH", os.defpath).split(os.pathsep)
    return os.pathsep.join(entry for entry in entries if os.path.isabs(entry))


def run_command(argv: list[str], timeout: float) -> Ran:
    """Run a command with no stdin and a hard timeout on its whole process group."""
    try:
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
    except OSError as exc:
        return Ran(None, "", "", f"cannot run {argv[0]}: {exc.strerror or exc}")
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
        try:
            out, err = proc.communicate(timeout=2)
        except subprocess.TimeoutExpired:
            out, err = b"", b""
        return Ran(
            None,
            out.decode(errors="replace"),
            err.decode(errors="replace"),
            f"{Path(argv[0]).name} did not finish within {timeout:g}s",
        )
    return Ran(proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"))


def _read_yaml(path: Path):
    return yamlio.load_data(path.read_text(encoding="utf-8", errors="replace"))


class Doctor:
    def __init__(self, kb, root: str = "/", timeout: float = 5.0):
        self.kb = kb
        self.root = Path(root)
        self.timeout = timeout
        self.kubectl: str | None = None
        self.kubeconfig_ok = False
        self.is_node = False
        self.kubelet_config: dict = {}

    # helpers -------------------------------------------------------------
    def _host_path(self, path: str) -> Path:
        return self.root / path.lstrip("/")

    def _entry(self, entry_id: str, facts: dict, matched: str = ""):
        from k8slint.diagnose.match import from_entry

        return from_entry(self.kb.get(entry_id), facts, self.kb, matched)

    def _diagnose_output(self, text: str) -> list:
        from k8slint.diagnose.match import diagnose_text

        return diagnose_text(text, self.kb)

    # checks --------------------------------------------------------------
    def check_kubectl(self) -> CheckResult:
        self.kubectl = shutil.which("kubectl", path=absolute_path())
        if not self.kubectl:
            return CheckResult(
                "kubectl", "fail", "kubectl not found on PATH", [self._entry("kubectl-not-installed", {})]
            )
        ran = run_command([self.kubectl, "version", "--client", "-o", "json"], self.timeout)
        if ran.returncode != 0:
            detail = ran.error or (ran.stderr.strip().splitlines() or ["no output"])[-1]
            return CheckResult(
                "kubectl", "fail", f"{self.kubectl} does not run: {detail}", self._diagnose_output(ran.stderr)
            )
        try:
            version = json.loads(ran.stdout)["clientVersion"]["gitVersion"]
        except (ValueError, KeyError, TypeError):
            version = "unknown version"
        return CheckResult(
            "kubectl", "pass", f"{version} ({self.kubectl})", data={"path": self.kubectl, "version": version}
        )

    def _kubeconfig_paths(self) -> tuple[list[Path], str]:
        env = os.environ.get("KUBECONFIG", "")
        if env.strip():
            return [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()], "KUBECONFIG"
        return [Path(os.path.expanduser("~")) / ".kube" / "config"], "default"

    def check_kubeconfig(self) -> CheckResult:
        paths, source = self._kubeconfig_paths()
        existing = [p for p in paths if p.is_file()]
        if not existing:
            where = (
                f"KUBECONFIG={os.environ['KUBECONFIG']} names no existing file"
                if source == "KUBECONFIG"
                else f"KUBECONFIG is unset and {paths[0]} does not exist"
            )
            diags = (
                []
                if self.kubectl
                else [self._entry("kubectl-localhost-8080-refused", {"host": "localhost", "port": "8080"})]
            )
            return CheckResult(
                "kubeconfig", "fail", f"no kubeconfig: {where}; kubectl will fall back to localhost:8080", diags
            )
        merged: dict = {"contexts": {}, "clusters": {}, "current": None}
        for path in existing:
            try:
                data = _read_yaml(path)
            except (OSError, yamlio.YamlError) as exc:
                problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
                mark = getattr(exc, "problem_mark", None)
                detail = f"line {mark.line + 1}: {problem}" if mark else problem
                return CheckResult(
                    "kubeconfig",
                    "fail",
                    f"{path} does not parse: {detail}",
                    [self._entry("kubeconfig-load-error", {"path": str(path), "detail": detail})],
                )
            if data is None:
                continue
            if not isinstance(data, dict):
                detail = "not a kubeconfig (the document is not a mapping)"
                return CheckResult(
                    "kubeconfig",
                    "fail",
                    f"{path}: {detail}",
                    [self._entry("kubeconfig-load-error", {"path": str(path), "detail": detail})],
                )
            for item in data.get("contexts") or []:
                if isinstance(item, dict) and item.get("name"):
                    merged["contexts"].setdefault(item["name"], item.get("context") or {})
            for item in data.get("clusters") or []:
                if isinstance(item, dict) and item.get("name"):
                    merged["clusters"].setdefault(item["name"], item.get("cluster") or {})
            if merged["current"] is None and data.get("current-context"):
                merged["current"] = str(data["current-context"])
        names = ", ".join(str(p) for p in existing)
        current = merged["current"]
        if not current:
            return CheckResult(
                "kubeconfig",
                "fail",
                f"{names}: current-context is not set; choose one with kubectl config use-context "
                f"<name> (known: {', '.join(merged['contexts']) or 'none'})",
            )
        if current not in merged["contexts"]:
            return CheckResult(
                "kubeconfig",
                "fail",
                f"{names}: current-context {current!r} is not defined",
                [self._entry("kubeconfig-context-not-found", {"context": current})],
            )
        cluster_name = (merged["contexts"][current] or {}).get("cluster")
        server = (merged["clusters"].get(cluster_name) or {}).get("server")
        if not server:
            return CheckResult(
                "kubeconfig",
                "fail",
                f"{names}: context {current!r} points at cluster {cluster_name!r}, which has no server address",
            )
        self.kubeconfig_ok = True
        return CheckResult(
            "kubeconfig",
            "pass",
            f"{names}: context {current}, server {server}",
            data={"files": [str(p) for p in existing], "context": current, "server": server},
        )

    def check_admin_conf(self) -> CheckResult:
        path = self._host_path("/etc/kubernetes/admin.conf")
        if path.is_file():
            self.is_node = True
            hint = (
                ""
                if self.kubeconfig_ok
                else "; copy it: mkdir -p $HOME/.kube && sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config "
                "&& sudo chown $(id -u):$(id -g) $HOME/.kube/config"
            )
            return CheckResult(
                "admin.conf", "info", f"/etc/kubernetes/admin.conf exists: this is a kubeadm control-plane node{hint}"
            )
        return CheckResult(
            "admin.conf",
            "info",
            "/etc/kubernetes/admin.conf absent: not a kubeadm control-plane node "
            "(or kubeadm init never completed here)",
        )

    def check_server(self) -> CheckResult:
        if not self.kubectl:
            return CheckResult("server", "skip", "kubectl is not installed")
        with tempfile.TemporaryDirectory(prefix="k8slint-doctor-") as cache:
            argv = [
                self.kubectl,
                "version",
                "-o",
                "json",
                f"--request-timeout={self.timeout:g}s",
                f"--cache-dir={cache}",
            ]
            ran = run_command(argv, self.timeout * 2 + 1)  # kubectl honours --request-timeout; this is the backstop
        output = "\n".join(part for part in (ran.stdout, ran.stderr) if part)
        if ran.returncode == 0:
            try:
                version = json.loads(ran.stdout)["serverVersion"]["gitVersion"]
            except (ValueError, KeyError, TypeError):
                version = "version unknown"
            return CheckResult("server", "pass", f"reachable, server {version}", data={"version": version})
        lines = [line for line in ran.stderr.strip().splitlines() if line.strip()]
        detail = ran.error or (lines[-1] if lines else f"kubectl version exited with {ran.returncode}")
        return CheckResult(
            "server", "fail", detail, self._diagnose_output(ran.stderr or output), data={"output": ran.stderr}
        )

    def check_kubelet(self) -> CheckResult:
        path = self._host_path("/var/lib/kubelet/config.yaml")
        if not path.is_file():
            return CheckResult("kubelet", "skip", "/var/lib/kubelet/config.yaml absent: not a Kubernetes node")
        self.is_node = True
        try:
            data = _read_yaml(path)
        except (OSError, yamlio.YamlError) as exc:
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            return CheckResult("kubelet", "fail", f"/var/lib/kubelet/config.yaml does not parse: {problem}")
        if not isinstance(data, dict):
            return CheckResult("kubelet", "fail", "/var/lib/kubelet/config.yaml is not a KubeletConfiguration")
        self.kubelet_config = data
        static = data.get("staticPodPath")
        driver = data.get("cgroupDriver", "unset")
        if not static:
            return CheckResult("kubelet", "info", f"no staticPodPath (no static pods), cgroupDriver {driver}")
        static_dir = self._host_path(str(static))
        if not static_dir.is_dir():
            return CheckResult("kubelet", "warn", f"staticPodPath {static} does not exist, cgroupDriver {driver}")
        manifests = sorted(p.name for p in static_dir.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
        listed = ", ".join(manifests) if manifests else "none"
        return CheckResult(
            "kubelet",
            "pass",
            f"staticPodPath {static} ({listed}), cgroupDriver {driver}",
            data={"staticPodPath": static, "static_pods": manifests, "cgroupDriver": driver},
        )

    def check_swap(self) -> CheckResult:
        if not self.is_node:
            return CheckResult("swap", "skip", "not a Kubernetes node")
        path = self._host_path("/proc/swaps")
        try:
            rows = [line.split() for line in path.read_text().splitlines()[1:] if line.strip()]
        except OSError:
            return CheckResult("swap", "skip", "/proc/swaps is not readable")
        if not rows:
            return CheckResult("swap", "pass", "swap is off")
        devices = ", ".join(row[0] for row in rows)
        if self.kubelet_config.get("failSwapOn") is False:
            return CheckResult(
                "swap", "warn", f"swap is on ({devices}); the kubelet is configured to tolerate it (failSwapOn: false)"
            )
        return CheckResult(
            "swap",
            "fail",
            f"swap is on ({devices}) and the kubelet refuses to run with swap",
            [self._entry("kubelet-swap-enabled", {"devices": devices})],
        )

    def run(self) -> list[CheckResult]:
        return [
            self.check_kubectl(),
            self.check_kubeconfig(),
            self.check_admin_conf(),
            self.check_server(),
            self.check_kubelet(),
            self.check_swap(),
        ]


def run_checks(kb, root: str = "/", timeout: float = 5.0) -> list[CheckResult]:
    return Doctor(kb, root=root, timeout=timeout).run()


def _unique_diagnoses(results: list[CheckResult]) -> list[tuple[str, dict]]:
    from k8slint.diagnose.render import to_dict

    seen: set[str] = set()
    out = []
    for result in results:
        for diag in result.diagnoses:
            data = to_dict(diag)
            if data["id"] in seen:
                continue
            seen.add(data["id"])
            out.append((result.name, data))
    return out


STATUS_STYLES = {"pass": "green", "fail": "error", "warn": "warning", "info": "info", "skip": "dim"}


def render_report(results: list[CheckResult], fmt: str, color: bool = False) -> str:
    from k8slint.diagnose.render import render_json, render_markdown, render_text
    from k8slint.escaping import escape
    from k8slint.terminal import painter

    paint = painter(color)

    diagnoses = _unique_diagnoses(results)
    if fmt == "json":
        checks = [
            {"name": r.name, "status": r.status, "detail": r.detail, "diagnoses": [d.entry.id for d in r.diagnoses]}
            for r in results
        ]
        return render_json([d for _, d in diagnoses], checks=checks)
    if fmt == "markdown":
        out = ["# k8slint doctor", "", "| check | status | detail |", "|---|---|---|"]
        for r in results:
            detail = escape(r.detail).replace("|", "\\|")
            out.append(f"| {r.name} | {STATUS_WORDS[r.status]} | {detail} |")
        out.append("")
        if diagnoses:
            out.append(render_markdown([d for _, d in diagnoses]))
        return "\n".join(out) + "\n"
    width = max(len(r.name) for r in results)
    out = [
        f"  {paint(STATUS_STYLES[r.status], STATUS_WORDS[r.status])}  {r.name:{width}}  {escape(r.detail)}"
        for r in results
    ]
    failed = sum(r.status == "fail" for r in results)
    out.append("")
    out.append(paint("error", f"{failed} check(s) failed.") if failed else paint("green", "All checks passed."))
    for check, data in diagnoses:
        out.append("")
        out.append(paint("dim", f"── {check} " + "─" * max(4, 68 - len(check))))
        out.append(render_text([data], color).rstrip("\n"))
    return "\n".join(out) + "\n"
