"""The diagnose engine through the real CLI: ranking (specific beats generic), facts
read from the whole paste, the command-line parser, input handling, speed bounds.

Pastes live in fixtures/diagnose/pastes (sources in SOURCES.md); entries the shipped
knowledge base does not have yet come from fixtures/diagnose/kb via --kb.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from k8slint.cli import cli
from k8slint.diagnose.command import command_context
from k8slint.diagnose.knowledge import KnowledgeError, load
from k8slint.diagnose.match import diagnose_lines
from k8slint.diagnose.needles import backtracking_risk, needles
from k8slint.diagnose.normalise import normalise

ROOT = Path(__file__).resolve().parents[1]
PASTES = ROOT / "fixtures" / "diagnose" / "pastes"
TEST_KB = ROOT / "fixtures" / "diagnose" / "kb"


def run(*args, input=None):
    return CliRunner().invoke(cli, ["diagnose", *map(str, args)], input=input, catch_exceptions=False)


def diagnose(name: str, *, kb: bool = True):
    extra = ["--kb", TEST_KB] if kb else []
    result = run(*extra, "--file", PASTES / name, "-f", "json")
    return result, json.loads(result.stdout)["diagnoses"] if result.stdout.strip() else []


# --- ranking: a specific entry beats a generic one ----------------------------------


def test_exec_format_error_replaces_the_crashloop_of_its_pod():
    result, found = diagnose("exec-format-crashloop.txt")
    assert [d["id"] for d in found] == ["exec-format-error"]
    assert found[0]["facts"]["pod"] == "api-7c9d8f6b5d-m2xkq" and found[0]["facts"]["namespace"] == "shop"


def test_without_the_specific_entry_the_generic_one_still_answers(tmp_path):
    lines = normalise((PASTES / "exec-format-crashloop.txt").read_text())
    kb = load()
    generic_only = type(kb)([e for e in kb.entries if e.id != "exec-format-error"])
    assert [d.id for d in diagnose_lines(lines, generic_only)] == ["crashloopbackoff"]
    assert [d.id for d in diagnose_lines(lines, kb)] == ["exec-format-error"]  # the shipped entry wins


def test_coredns_loop_explains_the_crashloop_of_both_replicas():
    # the loop is logged by one replica; its sibling of the same ReplicaSet has the same cause
    result, found = diagnose("coredns-loop.txt")
    assert [d["id"] for d in found] == ["coredns-loop"]


def test_image_pull_with_x509_is_a_registry_certificate_problem():
    result, found = diagnose("image-pull-x509.txt", kb=False)
    assert [d["id"] for d in found] == ["image-pull-failed"]  # not kubectl-x509-unknown-authority
    facts = found[0]["facts"]
    assert facts["pull_problem"] == "certificate" and facts["registry"] == "harbor.example.local"
    fix = "\n".join(found[0]["fix"])
    assert "/etc/containerd/certs.d/harbor.example.local/hosts.toml" in fix
    assert "imagePullSecrets" not in fix
    assert "node does not trust the TLS certificate of harbor.example.local" in found[0]["summary"]


def test_a_claim_pending_is_not_a_pod_pending():
    kb = load()
    lines = normalise((PASTES / "pvc-pending.txt").read_text())
    without_claims = type(kb)([e for e in kb.entries if "pvc" not in e.id and not e.kinds])
    assert diagnose_lines(lines, without_claims) == []  # pod-pending must not claim it
    result, found = diagnose("pvc-pending.txt", kb=False)
    assert "pod-pending" not in [d["id"] for d in found]
    result, found = diagnose("pvc-pending.txt")
    claim = next(d for d in found if d["id"] == "pvc-pending")  # the claim's Status: Pending, from the test entry
    assert claim["facts"]["pvc"] == "data-postgres-0" and claim["fix"] == ["kubectl describe pvc data-postgres-0 -n db"]


SANDBOX = (
    "  Normal   Scheduled               61s  default-scheduler  Successfully assigned {ns}/web-74799d694c-j4mcr to {node}\n"
    "  Warning  FailedCreatePodSandBox  60s  kubelet            Failed to create pod sandbox: rpc error: code = Unknown "
    'desc = failed to setup network for sandbox "d9f4": plugin type="calico" failed (add): error getting '
    "ClusterInformation: connection is unauthorized: Unauthorized\n"
)


def test_the_scheduler_event_names_the_node_only_when_the_paste_has_one():
    one = json.loads(run(SANDBOX.format(ns="shop", node="worker-7"), "-f", "json").stdout)["diagnoses"][0]
    assert one["facts"]["node"] == "worker-7" and one["facts"]["namespace"] == "shop"
    assert "spec.nodeName=worker-7" in "\n".join(one["fix"])
    two = SANDBOX.format(ns="shop", node="worker-7") + SANDBOX.format(ns="shop", node="worker-8")
    (found,) = json.loads(run(two, "-f", "json").stdout)["diagnoses"]
    assert "node" not in found["facts"] and "spec.nodeName=<node>" in "\n".join(found["fix"])


def test_several_errors_each_once_most_specific_first():
    result, found = diagnose("multi.txt")
    assert [d["id"] for d in found] == ["exec-format-error", "image-pull-failed", "crashloopbackoff"]
    assert found[2]["facts"]["pod"] == "report-28391040-7xk2d"  # a crash with no known cause stays


def test_specificity_and_kinds_are_validated(tmp_path):
    text = (TEST_KB / "pvc-pending.yaml").read_text()
    (tmp_path / "pvc-pending.yaml").write_text(text.replace("kinds: [PersistentVolumeClaim]", "specificity: huge"))
    result = run("--kb", tmp_path, "x")
    assert result.exit_code == 2 and "specificity must be one of symptom, error, cause" in result.stderr


def test_nested_repeats_are_refused_when_an_entry_loads(tmp_path):
    text = (TEST_KB / "coredns-loop.yaml").read_text()
    (tmp_path / "coredns-loop.yaml").write_text(text.replace("plugin/loop: Loop", "(?:x+ )+plugin/loop: Loop"))
    with pytest.raises(KnowledgeError, match="backtrack"):
        load((str(tmp_path),))


# --- facts from the whole paste --------------------------------------------------------


def test_oomkilled_fix_proposes_a_limit_above_the_current_one():
    result = run("--file", ROOT / "fixtures" / "transcripts" / "oomkilled.txt", "-f", "json")
    first = json.loads(result.stdout)["diagnoses"][0]
    assert first["id"] == "oomkilled"
    assert first["facts"]["memory_limit"] == "512Mi" and first["facts"]["container"] == "worker"
    assert any("above the current 512Mi" in step and "memory: 1Gi" in step for step in first["fix"])


def test_cluster_scope_rbac_needs_a_cluster_role_and_binding():
    result, found = diagnose("rbac-cluster-scope.txt", kb=False)
    fix = "\n".join(found[0]["fix"])
    assert "kubectl create clusterrole nodes-list --verb=list --resource=nodes" in fix
    assert (
        "kubectl create clusterrolebinding nodes-list --clusterrole=nodes-list --serviceaccount=monitoring:prometheus"
        in fix
    )
    assert "create role " not in fix and "rolebinding nodes-list --role" not in fix


def test_ss_output_names_the_process_holding_the_port():
    result, found = diagnose("port-owner-ss.txt", kb=False)
    assert found[0]["id"] == "compose-port-already-allocated"
    assert "postgres (pid 1021) listens on port 5432" in found[0]["fix"][0]


def test_describe_block_gives_every_line_its_pod_container_and_image():
    lines = normalise((PASTES / "image-pull-x509.txt").read_text())
    reason = next(line for line in lines if line.text.startswith("Reason:"))
    assert reason.facts == {"pod": "nginx-6b7f6c8d9-2kq8p", "container": "nginx"}
    assert reason.context["image"] == "harbor.example.local/library/nginx:1.25"
    assert reason.context["object_kind"] == "Pod" and reason.context["node"] == "worker-1"


# --- the command-line parser -------------------------------------------------------------


@pytest.mark.parametrize(
    "command,expected",
    [
        ("kubectl logs web-1 -n shop | sed -n '1,20p'", {"namespace": "shop", "pod": "web-1"}),
        ("tail -n 12 /var/log/app.log", {}),
        ("kubectl -n shop get pods -o wide | grep -v Running", {"namespace": "shop", "kubectl_resource": "pods"}),
        ("sudo kubectl --namespace=prod describe pod/api-1", {"namespace": "prod", "pod": "api-1"}),
        (
            "cat x.log | head -n 5 && kubectl logs -p api-2 -c app",
            {"pod": "api-2", "container": "app", "previous": True},
        ),
        ("helm upgrade --install web ./chart -n web -f values-prod.yaml", {"namespace": "web", "release": "web"}),
        ("docker compose -f compose.prod.yml up -d", {"file": "compose.prod.yml", "command_tool": "docker-compose"}),
        ("KUBECONFIG=/tmp/k kubectl apply -f app.yaml", {"file": "app.yaml"}),
        ("kubectl get deploy web -o yaml | less", {"object": "deploy/web"}),
        ("kubectl logs -f coredns-b75bb577b-5dlbd -n kube-system", {"pod": "coredns-b75bb577b-5dlbd", "file": None}),
        ("kubectl -n kube-system logs -f coredns-5d78c9869d-8xq2w", {"pod": "coredns-5d78c9869d-8xq2w", "file": None}),
    ],
)
def test_command_context_reads_only_the_tool_segment(command, expected):
    facts = command_context(command)
    for key, value in expected.items():
        assert facts.get(key) == value, (key, facts)
    if not expected:
        assert facts == {}
    assert "namespace" in facts or "namespace" not in expected


def test_pipeline_flags_never_become_a_namespace():
    result, found = diagnose("pipeline-flags.txt", kb=False)
    by_id = {d["id"]: d for d in found}
    assert by_id["rbac-forbidden"]["facts"]["namespace"] == "default"
    crash = by_id["crashloopbackoff"]
    assert "namespace" not in crash["facts"]
    assert not any(re.search(r"-n (12|1,20p|'1,20p')\b", step) for step in crash["fix"])


@pytest.mark.parametrize(
    "prompt",
    ["(⎈ |kind-dev:shop)alice@laptop:~$ ", "$", "(venv) bob@build:~/app$ "],  # kube-ps1, glued, virtualenv
)
def test_the_command_after_any_common_prompt_gives_its_facts(prompt):
    paste = f"{prompt}kubectl logs web-7d9 -n shop\nexec /app/server: exec format error\n"
    result = run("-f", "json", input=paste)
    facts = json.loads(result.stdout)["diagnoses"][0]["facts"]
    assert (facts.get("pod"), facts.get("namespace")) == ("web-7d9", "shop")


def test_a_glued_prompt_needs_a_known_tool():
    # "$kubectl …" is a command (context, not output); "$PATH=/bin" is output
    assert [line.text for line in normalise("$kubectl get pods\n$PATH=/bin\n")] == ["$PATH=/bin"]


# --- input handling ----------------------------------------------------------------------


def test_f_means_format_and_a_file_name_gets_a_pointer_to_file():
    assert json.loads(run("-f", "json", "OOMKilled").stdout)["diagnoses"][0]["id"] == "oomkilled"
    result = run("-f", str(PASTES / "multi.txt"))
    assert result.exit_code == 2
    assert "-f means --format" in result.stderr and f"--file {PASTES / 'multi.txt'}" in result.stderr


def test_lint_and_diagnose_agree_on_f():
    for command in (["lint"], ["diagnose"], ["doctor"], ["rules"]):
        text = CliRunner().invoke(cli, [*command, "--help"]).output
        assert re.search(r"-f, --format", text), command


def test_binary_input_is_a_clear_error_with_exit_2():
    result = run(input=b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00" * 40)
    assert result.exit_code == 2
    assert "the input is not text" in result.stderr and result.stderr.count("\n") == 1


def test_utf16_text_is_not_taken_for_binary():
    data = "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n"
    result = run(input=b"\xff\xfe" + data.encode("utf-16-le"))
    assert result.exit_code == 0


def test_unknown_paste_says_so_in_one_line_and_asks_for_more():
    result = run("docker compose up exited with something odd")
    assert result.exit_code == 1
    first, second = result.stderr.strip().splitlines()
    assert first.startswith("k8slint diagnose: no known error found in 1 line(s)")
    assert "docker compose config" in second
    result = run("pod web-1 is weird")
    assert "kubectl describe pod NAME" in result.stderr and "kubectl get events" in result.stderr


def test_terminal_without_input_says_how_to_end_it(monkeypatch):
    import io
    import sys

    class Tty(io.BytesIO):
        def isatty(self):
            return True

    class Stdin:
        buffer = Tty(b"OOMKilled\n")

        def isatty(self):
            return True

    from k8slint.diagnose import commands

    monkeypatch.setattr(sys, "stdin", Stdin())
    messages = []
    monkeypatch.setattr(commands.click, "echo", lambda text="", err=False, **kw: messages.append((text, err)))
    data = commands._read_input((), None)
    assert data == b"OOMKilled\n"
    assert any("Ctrl-D" in text and err for text, err in messages)


# --- speed: generous bounds that only catastrophic backtracking can break ------------------

ADVERSARIAL = ' a1-./:"=_\t'


def test_every_shipped_pattern_has_a_needle_and_no_nested_repeat():
    for entry in load().entries:
        for pattern in entry.patterns:
            assert backtracking_risk(pattern.regex) is None, (entry.id, pattern.regex.pattern)
            assert needles(pattern.regex)[0], f"{entry.id}: {pattern.regex.pattern!r} has no literal of 3+ characters"


def test_long_lines_and_runs_of_one_character_stay_fast():
    kb = load([str(TEST_KB)])
    needles_all = sorted({n for e in kb.entries for p in e.patterns for n in (p.needles or ())})
    cases = [c * 100_000 for c in ADVERSARIAL]
    cases += [(c * 3000).join(needles_all[:40]) for c in ADVERSARIAL]  # runs between every needle
    started = time.perf_counter()
    for text in cases:
        diagnose_lines(normalise(text), kb)
    # linear work takes well under a second here; quadratic backtracking takes minutes
    assert time.perf_counter() - started < 60


def test_a_two_megabyte_paste_stays_fast():
    chunk = "".join(p.read_text() for p in sorted(PASTES.glob("*.txt")))
    noise = "".join(
        f"I1203 10:{i % 60:02d}:00.000000 1 main.go:{i}] request {i} served in {i % 97}ms\n" for i in range(2000)
    )
    text = (noise + chunk) * max(1, 2_000_000 // len(noise + chunk))
    started = time.perf_counter()
    result = run("--kb", TEST_KB, "-f", "json", input=text)
    assert time.perf_counter() - started < 60
    once = run("--kb", TEST_KB, "-f", "json", input=noise + chunk)
    # a paste repeated many times has exactly the diagnoses of one copy, each once
    assert json.loads(result.stdout)["diagnoses"] == json.loads(once.stdout)["diagnoses"]


# --- the knowledge base's cache -------------------------------------------------------------


def test_the_parsed_knowledge_base_is_cached_and_a_changed_entry_is_parsed_again(tmp_path, monkeypatch):
    import shutil

    from k8slint import cachedir
    from k8slint.diagnose import kbcache
    from k8slint.diagnose.knowledge import _parse_dirs, default_dir

    monkeypatch.setenv("K8SLINT_CACHE_DIR", str(tmp_path / "cache"))
    kb_dir = tmp_path / "kb"
    shutil.copytree(TEST_KB, kb_dir)
    dirs = (str(default_dir()), str(kb_dir))
    parsed = []

    def build():
        parsed.append(1)
        return _parse_dirs(dirs)

    first = kbcache.cached(dirs, build)
    again = kbcache.cached(dirs, build)
    assert len(parsed) == 1 and [e.id for e in again.entries] == [e.id for e in first.entries]
    loop = again.get("coredns-loop")
    assert loop.patterns[0].regex.search(loop.examples[0])  # compiled on first use
    entry = kb_dir / "coredns-loop.yaml"
    entry.write_text(entry.read_text().replace("title: ", "title: Changed ", 1))
    changed = kbcache.cached(dirs, build)
    assert len(parsed) == 2 and changed.get("coredns-loop").title.startswith("Changed")
    kept = list((tmp_path / "cache").rglob("kb-*.pickle"))
    assert kept and all("v" + str(cachedir.FORMAT) in pickle_file.parts for pickle_file in kept)  # cleaned with it
    for pickle_file in kept:
        pickle_file.write_bytes(b"not a pickle")
    assert kbcache.cached(dirs, build).get("coredns-loop").title.startswith("Changed") and len(parsed) == 3


# --- ranking of the entries added for issue 18's missing families -------------------------------

SPECIFIC_OVER_GENERIC = [
    (
        'Warning  FailedCreatePodSandBox  11s  kubelet  Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "3c05350cf571": plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory\n',
        "flannel-subnet-env-missing",
    ),
    (
        'Warning  FailedCreatePodSandBox  60s  kubelet  Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "d9f4c91394d5": plugin type="calico" failed (add): error getting ClusterInformation: connection is unauthorized: Unauthorized\n',
        "calico-cni-unauthorized",
    ),
    (
        "Error: INSTALLATION FAILED: YAML parse error on app/templates/deployment.yaml: error converting YAML to JSON: yaml: line 80: did not find expected key\n",
        "helm-template-yaml-parse",
    ),
    (
        'Error from server (BadRequest): admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: host "_" and path "/x-service" is already defined in ingress x-tst/x-service\n',
        "ingress-host-path-conflict",
    ),
    (
        'admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: nginx.ingress.kubernetes.io/server-snippet annotation cannot be used. Snippet directives are disabled by the Ingress administrator\n',
        "ingress-snippets-disabled",
    ),
    (
        "NAME            READY   STATUS    RESTARTS   AGE\nauthservice-0   0/1     Pending   0          6m15s\n"
        "$ kubectl describe pod authservice-0 -n istio-system\n"
        'Warning  FailedScheduling  14s  default-scheduler  0/3 nodes are available: 3 persistentvolumeclaim "authservice-pvc" not found.\n',
        "failedscheduling-pvc-not-found",
    ),
    (
        "NAME                    READY   STATUS             RESTARTS      AGE\n"
        "kube-flannel-ds-7lq2x   0/1     CrashLoopBackOff   5 (32s ago)   4m\n"
        "$ kubectl logs -n kube-flannel kube-flannel-ds-7lq2x\n"
        'E1113 09:12:41.254418       1 main.go:289] Error registering network: failed to acquire lease: node "k8node001" pod cidr not assigned\n',
        "flannel-pod-cidr-not-assigned",
    ),
    (
        "Error from server (ServiceUnavailable): the server is currently unable to handle the request (get nodes.metrics.k8s.io)\n"
        'E0223 02:47:56.385022       1 scraper.go:140] "Failed to scrape node" err="Get \\"https://10.0.0.25:10250/metrics/resource\\": x509: cannot validate certificate for 10.0.0.25 because it doesn\'t contain any IP SANs" node="worker-0"\n',
        "kubelet-cert-no-ip-sans",
    ),
    (
        'Error response from daemon: Get "https://registry-1.docker.io/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)\n',
        "docker-registry-timeout",
    ),
    (
        "FATA[0002] connect: connect endpoint 'unix:///var/run/dockershim.sock', make sure you are running as root and the endpoint has been started: context deadline exceeded\n",
        "crictl-default-endpoint",
    ),
]


@pytest.mark.parametrize("paste, expected", SPECIFIC_OVER_GENERIC, ids=[e for _, e in SPECIFIC_OVER_GENERIC])
def test_the_specific_entry_is_the_only_answer(paste, expected):
    result = run("-f", "json", input=paste)
    assert [d["id"] for d in json.loads(result.stdout)["diagnoses"]] == [expected]


def test_a_pasted_windows_cmd_prompt_gives_the_command_context():
    paste = "c:\\Docker>docker push myiis\ndenied: requested access to the resource is denied\n"
    first = json.loads(run("-f", "json", input=paste).stdout)["diagnoses"][0]
    assert first["id"] == "docker-push-denied" and first["facts"]["image"] == "myiis"
    assert any("docker tag myiis <docker-id>/myiis" in step for step in first["fix"])
