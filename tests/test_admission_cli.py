"""admission-policy-denied end to end: ValidatingAdmissionPolicies of the run and --policy-dir against objects."""

from __future__ import annotations

from conftest import FIXTURES, lint_json, run_cli

ADMISSION = FIXTURES / "admission"
RULE = ("--select", "admission-policy-denied")


def _findings(*args):
    code, report = lint_json(*RULE, *args)
    return code, [(f["file"].rsplit("/", 1)[-1], f["line"], f["severity"], f["message"]) for f in report["findings"]]


def test_deny_warn_and_audit_bindings_give_error_warning_and_info():
    code, findings = _findings(ADMISSION / "cluster")
    assert code == 1
    messages = {(name, line, severity): message for name, line, severity, message in findings}
    deny = messages[("workloads.yaml", 2, "error")]  # Deployment too-many in namespace test, limit 3 from its param
    assert deny.startswith(
        "ValidatingAdmissionPolicy 'replicalimit-policy.example.com' with binding "
        "'replicalimit-binding-test.example.com' denied request: object.spec.replicas must be no greater than 3"
    )  # the messageExpression, quoted as the API server says it
    prod = [m for name, line, severity, m in findings if (name, line, severity) == ("workloads.yaml", 32, "warning")]
    # Deployment big-prod in prod: the Warn binding with its param chosen by a selector, and a Kyverno-style policy
    assert any(
        "'replicalimit-binding-prod.example.com': object.spec.replicas must be no greater than 10" in m for m in prod
    )
    assert any("'disallow-latest-tag'" in m and "An image tag is required" in m for m in prod)
    audit = messages[("workloads.yaml", 47, "info")]  # Deployment elsewhere has no team label: Audit
    assert "'require-team-label' with binding 'require-team-label-audit' audits" in audit
    assert "every workload needs a team label" in audit


def test_objects_outside_the_constraints_are_untouched():
    _, findings = _findings(ADMISSION / "cluster")
    lines = {line for name, line, _, _ in findings if name == "workloads.yaml"}
    assert 17 not in lines  # Deployment legacy: excluded by excludeResourceRules resourceNames
    assert 62 not in lines  # StatefulSet db: not a resource of the replica policy, and it has its team label
    assert 78 not in lines  # kube-system: the matchCondition is false, so the policy is skipped
    elsewhere = [m for name, line, _, m in findings if name == "workloads.yaml" and line == 47]
    # namespace "unknown" is not in the run: its labels are unknown, so selectors needing them match nothing
    assert not any("replicalimit" in m for m in elsewhere)


def test_expressions_reading_who_sends_the_request_are_info_once_per_validation():
    _, findings = _findings(ADMISSION / "cluster")
    [(name, line, severity, message)] = [f for f in findings if "only-admins" in f[3]]
    assert (name, line, severity) == ("latest-tag.yaml", 40, "info")
    assert "request.userInfo" in message and "not checked offline" in message


def test_policy_dir_brings_policies_bindings_and_params():
    code, findings = _findings(ADMISSION / "apps", "--policy-dir", ADMISSION / "policies")
    assert code == 1
    errors = [f for f in findings if f[2] == "error"]
    [(name, line, _, message)] = errors
    assert (name, line) == ("pods.yaml", 2)  # Pod from-docker-hub; Pod trusted passes
    assert message.startswith(
        "ValidatingAdmissionPolicy 'trusted-registries' with binding 'trusted-registries' denied request: "
        "images must come from registry.example.com/, not docker.io/library/busybox:1.37"
    )  # messageExpression over variables, params from a ConfigMap chosen by selector
    [(_, _, _, missing)] = [f for f in findings if f[2] == "info"]
    assert "trusted-registries-per-team" in missing and "ConfigMap team-registries in namespace default" in missing
    assert "not in the run" in missing
    # without the policies nothing is checked
    code, findings = _findings(ADMISSION / "apps")
    assert (code, findings) == (0, [])


def test_policies_in_the_run_and_through_policy_dir_agree():
    _, linted = _findings(ADMISSION / "apps", ADMISSION / "policies")
    _, given = _findings(ADMISSION / "apps", "--policy-dir", ADMISSION / "policies")
    assert [f for f in linted if f[0] == "pods.yaml" and f[2] == "error"] == [f for f in given if f[2] == "error"]


def test_runtime_errors_follow_failure_policy_and_syntax_errors_point_at_the_policy():
    _, findings = _findings(ADMISSION / "errors")
    by_line = {line: (severity, message) for _, line, severity, message in findings}
    severity, message = by_line[62]  # the Deployment without replicas: no such key before defaulting
    assert severity == "warning" and "'max-replicas-fail'" in message and "before the API server's defaults" in message
    assert not any("max-replicas-ignore" in m for _, m in by_line.values())  # failurePolicy Ignore admits it
    severity, message = by_line[51]
    assert severity == "warning" and "broken" in message and "does not compile" in message
    assert len(findings) == 2


def test_a_missing_policy_dir_is_a_usage_error():
    result = run_cli("lint", *RULE, ADMISSION / "apps", "--policy-dir", ADMISSION / "no-such-dir")
    assert result.exit_code == 2 and "policy path" in result.output and "does not exist" in result.output


def test_config_policies_stay_inside_the_repository(tmp_path):
    (tmp_path / ".k8slint.yaml").write_text("policies: [../elsewhere]\n")
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    result = run_cli("lint", "a.yaml", cwd=tmp_path)
    assert result.exit_code == 2 and "outside the repository" in result.output


def test_config_policies_inside_the_repository_are_read(tmp_path):
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "p.yaml").write_text((ADMISSION / "policies" / "registries.yaml").read_text())
    (tmp_path / "pods.yaml").write_text((ADMISSION / "apps" / "pods.yaml").read_text())
    (tmp_path / ".k8slint.yaml").write_text("policies: [policies]\n")
    code, report = lint_json(*RULE, "pods.yaml", cwd=tmp_path)
    assert code == 1 and [f["severity"] for f in report["findings"]].count("error") == 1


def test_objects_a_kustomization_changes_are_info_as_written_and_checked_as_built():
    code, findings = _findings(ADMISSION / "kustomize")
    [(name, line, severity, message)] = findings  # the team label comes from commonLabels; the namespace is unknown
    assert (name, line, severity, code) == ("deployment.yaml", 2, "info", 0)
    assert "'require-team-label'" in message
    code, findings = _findings(
        ADMISSION / "kustomize" / "base", "--kustomize", "--policy-dir", ADMISSION / "kustomize" / "policies.yaml"
    )
    [(name, _, severity, message)] = findings  # as built: labelled, in namespace team-a (not kube-system)
    assert (name, severity, code) == ("deployment.yaml", "error", 1)
    assert "'restricted-replicas'" in message and "failed expression: object.spec.replicas <= 1" in message


def test_match_constraints_and_binding_match_resources_reach_exactly_these_objects():
    _, report = lint_json(*RULE, ADMISSION / "matching")
    reached = sorted(
        (f["object"].split("/")[-1], f["message"].split("matched by ")[1].split(",")[0]) for f in report["findings"]
    )
    assert reached == [
        ("dev", "cluster-scoped"),  # scope Cluster; the policies themselves are excluded by excludeResourceRules
        ("hpa", "equivalent-hpa-v1"),  # autoscaling/v2 reaches a v1 rule with matchPolicy Equivalent, not Exact
        ("plain", "namespaced-configmaps"),  # the binding's objectSelector narrows the policy to tier=web
        ("plain", "object-selector"),
        ("prod", "cluster-scoped"),
        ("prod", "namespace-itself"),  # a Namespace is matched by its own labels
        ("reader", "cluster-scoped"),
        ("special", "by-namespace-name"),  # namespace not in the run, but kubernetes.io/metadata.name is known
        ("special", "resource-names"),
    ]  # no "update-only": a file is a CREATE


def test_a_policy_both_linted_and_given_counts_once():
    _, findings = _findings(ADMISSION / "apps", ADMISSION / "policies", "--policy-dir", ADMISSION / "policies")
    assert [f[2] for f in findings if f[0] == "pods.yaml"].count("error") == 1


def test_unsupported_cel_and_a_costly_expression_are_info_once_per_validation():
    code, findings = _findings(ADMISSION / "limits")
    by_policy = sorted((name, line, severity) for name, line, severity, _ in findings)
    assert by_policy == [
        ("objects.yaml", 9, "error"),  # validation 1 of the same policy still runs: messageExpression quoted
        ("policies.yaml", 12, "info"),  # isSemver (Kubernetes 1.33's semver library): once, at the policy
        ("policies.yaml", 35, "info"),  # three nested all() over the object: not run past the cost limit
    ]
    messages = [message for _, _, _, message in findings]
    assert "name a-configmap-with-a-long-name is longer than 20 characters" in messages[0]
    assert "isSemver() is not supported" in messages[1] and "not checked offline" in messages[1]
    assert "per-call limit" in messages[2] and "not checked offline" in messages[2]
    assert code == 1


def test_without_the_cel_engine_each_policy_says_so_once(monkeypatch):
    import k8slint.kube.cel

    monkeypatch.setattr(k8slint.kube.cel, "available", lambda: False)
    code, findings = _findings(ADMISSION / "errors")
    assert code == 0 and len(findings) == 3  # max-replicas-fail, max-replicas-ignore, broken
    assert all(severity == "info" and "CEL engine" in message for _, _, severity, message in findings)


def test_the_documentation_example_with_namespace_object_answers_as_the_api_server_does():
    code, findings = _findings(ADMISSION / "namespace-env")
    assert code == 1
    [(name, line, severity, message)] = [f for f in findings if f[2] == "error"]
    assert (name, line) == ("deployments.yaml", 3)  # Deployment invalid, in namespace default (environment: prod)
    # the documentation's kubectl output: "... denied request: only prod images are allowed in namespace default"
    assert message.startswith(
        "ValidatingAdmissionPolicy 'image-matches-namespace-environment.policy.example.com' with binding "
        "'demo-binding-test.example.com' denied request: only prod images are allowed in namespace default"
    )
    [(name, _, severity, message)] = [f for f in findings if f[2] != "error"]  # team-b is not in the run
    assert (name, severity) == ("policy.yaml", "info") and "namespaceObject" in message
