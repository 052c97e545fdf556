"""Compose projects built from several files: override pairs, -f merging, extends, include, .env, YAML 1.2."""

from __future__ import annotations

from conftest import FIXTURES, lint_json

COMPOSE = FIXTURES / "compose"


def _where(report):
    return sorted((f["file"].rsplit("compose/", 1)[-1], f["line"], f["rule"]) for f in report["findings"])


def test_override_pair_is_merged_and_findings_point_into_the_override():
    _, report = lint_json(COMPOSE / "override" / "compose.yaml")
    assert _where(report) == [
        ("override/compose.override.yaml", 5, "compose-undefined-reference"),
        ("override/compose.override.yaml", 10, "compose-environment-duplicate"),
    ]  # api has no image in compose.yaml, but the override gives it one


def test_suppression_comments_work_in_files_the_project_pulled_in():
    _, report = lint_json(
        "--show-suppressed", "--select", "compose-port-conflict", COMPOSE / "override" / "compose.yaml"
    )
    assert [(f["line"], f["suppressed"]) for f in report["findings"]] == [(13, True)]


def test_override_linted_alone_is_laid_over_its_base():
    _, report = lint_json("--select", "compose-image-or-build", COMPOSE / "override" / "compose.override.yaml")
    assert report["findings"] == []


def test_variant_that_overrides_base_services_is_laid_over_the_base():
    # compose.prod.yaml alone has no image and an undeclared network; over compose.yaml it is complete.
    # compose.ci.yaml shares no service with compose.yaml, so it is linted on its own.
    _, report = lint_json(COMPOSE / "variants")
    assert report["findings"] == []
    _, report = lint_json("--compose-file", COMPOSE / "variants" / "compose.prod.yaml")
    assert sorted(f["rule"] for f in report["findings"]) == ["compose-image-or-build", "compose-undefined-reference"]


def test_compose_files_merge_in_order_like_docker_compose_f():
    base, prod = COMPOSE / "multi-file" / "base.yml", COMPOSE / "multi-file" / "prod.yml"
    code, report = lint_json("--compose-file", base, "--compose-file", prod)
    assert _where(report) == [("multi-file/prod.yml", 7, "compose-port-conflict")]
    assert (
        "service admin publishes host port 8080/tcp, which service web already publishes"
        in report["findings"][0]["message"]
    )
    assert code == 1


def test_a_partial_file_is_laid_over_the_file_beside_it_that_completes_it():
    # prod.yml gives web no image: it is an add-on, judged as `-f base.yml -f prod.yml`, never alone
    _, report = lint_json(COMPOSE / "multi-file" / "base.yml", COMPOSE / "multi-file" / "prod.yml")
    assert _where(report) == [("multi-file/prod.yml", 7, "compose-port-conflict")]


def test_yaml12_scalars_restart_no_is_a_string():
    _, report = lint_json("--select", "compose-schema", "--compose", COMPOSE / "multi-file" / "base.yml")
    assert report["findings"] == []


def test_extends_other_file_and_same_file_with_merge_tags():
    _, report = lint_json(COMPOSE / "extends")
    assert _where(report) == [
        (
            "extends/common.yml",
            6,
            "compose-healthcheck-duration",
        ),  # inherited by web and local, reported once where it is written
        ("extends/compose.yaml", 11, "compose-undefined-reference"),
        ("extends/compose.yaml", 21, "compose-healthy-without-healthcheck"),  # local resets the inherited healthcheck
    ]  # local's ports: !override replaces web's 8080 instead of adding to it, so no port conflict


def test_include_adds_services_and_reports_missing_files():
    # db/compose.yaml takes PG_VERSION from db/.env, so no undefined-variable finding
    _, report = lint_json(COMPOSE / "include" / "compose.yaml")
    assert _where(report) == [
        ("include/compose.yaml", 3, "compose-undefined-reference"),
        ("include/compose.yaml", 9, "compose-healthy-without-healthcheck"),
    ]


def test_dotenv_beside_the_compose_file_feeds_interpolation(monkeypatch):
    monkeypatch.delenv("API_SECRET", raising=False)
    _, report = lint_json(COMPOSE / "interpolation")
    assert _where(report) == [("interpolation/compose.yaml", 8, "compose-undefined-variable")]
    assert "required variable API_SECRET" in report["findings"][0]["message"]


def test_env_file_option_replaces_dotenv(monkeypatch):
    monkeypatch.delenv("API_SECRET", raising=False)
    _, report = lint_json("--env-file", COMPOSE / "interpolation" / "ci.env", COMPOSE / "interpolation")
    assert report["findings"] == []


def test_process_environment_wins(monkeypatch):
    monkeypatch.setenv("API_SECRET", "x")
    monkeypatch.setenv("NGINX_TAG", "latest")
    _, report = lint_json("--env-from-process", COMPOSE / "interpolation")
    assert _where(report) == [("interpolation/compose.yaml", 3, "compose-image-tag")]
    assert "${NGINX_TAG}" in report["findings"][0]["message"]  # the value is used, never shown


def test_process_variables_are_set_but_unread_without_env_from_process(monkeypatch):
    monkeypatch.setenv("API_SECRET", "x")
    monkeypatch.setenv("NGINX_TAG", "latest")
    _, report = lint_json(COMPOSE / "interpolation")
    assert report["findings"] == []  # API_SECRET counts as set; the image's tag is unknown, so unchecked


def test_missing_env_file_option_is_a_usage_error():
    from conftest import run_cli

    result = run_cli("lint", "--env-file", COMPOSE / "nope.env", COMPOSE / "interpolation")
    assert result.exit_code == 2


def test_a_file_the_run_found_and_a_project_pulled_in_is_one_file_under_one_name(monkeypatch):
    """``lint .`` names files ``./overrides/b.yaml``; an add-on laid over b.yaml must use that Source, not a copy."""
    monkeypatch.delenv("DOMAIN", raising=False)
    expected = [("overrides/b.yaml", 5, "compose-undefined-variable")]
    for cwd, target in ((COMPOSE / "addon-dot", "."), (COMPOSE, "addon-dot")):
        _, report = lint_json("--no-cache", target, cwd=cwd)
        found = [(f["file"].rsplit("addon-dot/", 1)[-1], f["line"], f["rule"]) for f in report["findings"]]
        assert [(file.removeprefix("./"), line, rule) for file, line, rule in found] == expected, cwd


def test_several_unset_variables_on_one_line_are_named_together(tmp_path, monkeypatch):
    for name in ("ADMIN_USER", "HASHED_PASSWORD", "REALM", "SCHEME"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    labels:\n"
        "      - auth=${ADMIN_USER?no user}:${HASHED_PASSWORD?no password}\n"
        "      - realm=${REALM}/${SCHEME}\n"
    )
    _, report = lint_json("--no-cache", tmp_path)
    messages = [finding["message"] for finding in report["findings"]]
    assert messages[0].startswith("required variables ADMIN_USER and HASHED_PASSWORD are not set, so docker compose")
    assert messages[1].startswith("variables REALM and SCHEME are not set and have no default")
