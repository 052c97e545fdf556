"""The options ``lint`` and ``fix`` share: one list, so the two commands cannot drift apart."""

from __future__ import annotations

import click

from k8slint.commands.completion import rules_and_categories
from k8slint.report import FORMATS
from k8slint.terminal import COLOR_CHOICES

AUTO = "auto"  # github inside GitHub Actions, else concise
# every command that prints for people takes these (lint, fix, diagnose, doctor)
COLOR_OPTIONS = [
    click.option(
        "--color",
        type=click.Choice(COLOR_CHOICES),
        is_flag=False,
        flag_value="always",
        help="Colour the output: auto (a terminal, honouring NO_COLOR and FORCE_COLOR), always, never [default: auto].",
    ),
    click.option("--no-color", is_flag=True, help="Same as --color never."),
]


def color_options(command):
    """Decorate ``command`` with ``--color`` and ``--no-color``."""
    for option in reversed(COLOR_OPTIONS):
        command = option(command)
    return command


_BEFORE_FIX = [
    click.argument("paths", nargs=-1, type=click.Path()),  # a Path: shells complete file names
    click.option(
        "-f",
        "--format",
        "--output-format",
        "format_name",
        type=click.Choice(sorted(FORMATS) + [AUTO]),
        default="concise",
        show_default=True,
        help="Report format: concise (one line per finding; `text` is its old name), full (with source, help and fix), "
        "auto (github when GITHUB_ACTIONS=true, else concise), or a machine format.",
    ),
    click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True),
        help="Write the report to this file instead of stdout.",
    ),
    click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        help="Config file (default: .k8slint.yaml or pyproject.toml found upward).",
    ),
    click.option(
        "--select",
        multiple=True,
        shell_complete=rules_and_categories,
        help="Only these rules or categories (repeatable, comma-separated).",
    ),
    click.option(
        "--ignore",
        multiple=True,
        shell_complete=rules_and_categories,
        help="Skip these rules or categories (repeatable, comma-separated).",
    ),
    click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable)."),
    click.option(
        "--no-ignore", is_flag=True, help="Also walk what .gitignore files ignore (config: respect-gitignore: false)."
    ),
    click.option(
        "--fail-on",
        type=click.Choice(["info", "warning", "error"]),
        help="Exit 1 when a finding is at or above this severity [default: error].",
    ),
    click.option(
        "--kubernetes-version",
        help="Target Kubernetes version, e.g. 1.30, or several: 1.29,1.33,1.37 (one run; each finding says the versions it holds for) [default: newest bundled].",
    ),
    click.option(
        "--api-resources",
        type=click.Path(dir_okay=False),
        help="A cluster's `kubectl api-resources` output to check kinds against, instead of the bundled tables.",
    ),
    click.option(
        "--crd-dir",
        multiple=True,
        type=click.Path(),
        help="File or directory of CustomResourceDefinitions that define kinds used (repeatable).",
    ),
    click.option(
        "--policy-dir",
        multiple=True,
        type=click.Path(),
        help="File or directory of ValidatingAdmissionPolicies, their bindings and params to check objects against "
        "(repeatable; those in the linted files count too).",
    ),
    click.option("-n", "--namespace", help="Namespace of objects that do not name one [default: default]."),
    click.option(
        "--static-pod-path",
        "static_pod_paths",
        multiple=True,
        help="Directory the kubelet reads static pods from (repeatable) [default: any .../etc/kubernetes/manifests].",
    ),
    click.option("--stdin-filename", help="Name to report for input read from '-'."),
    click.option(
        "--compose",
        "compose",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="Lint this file as a Docker Compose file whatever its name (repeatable).",
    ),
    click.option(
        "--compose-file",
        "compose_files",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="Compose files merged into one project, in order, like `docker compose -f A -f B` (repeatable).",
    ),
    click.option(
        "--env-file",
        type=click.Path(exists=True, dir_okay=False),
        help="Variables for Compose interpolation instead of the .env file beside the compose file.",
    ),
    click.option(
        "--env-from-process",
        is_flag=True,
        help="Check Compose values with the process environment's variables (by default only their names count; "
        "findings show ${NAME}, never the value).",
    ),
    click.option(
        "--kustomize/--no-kustomize",
        default=None,
        help="Build each kustomization root with kustomize (or kubectl kustomize) and lint what it renders, "
        "reporting findings in the files and patches that wrote them [default: off, config `kustomize`].",
    ),
    click.option(
        "--helm",
        "helm_chart",
        type=click.Path(exists=True),
        help="Render this Helm chart with `helm template` and lint it, reporting findings at its templates.",
    ),
    click.option(
        "--values",
        "helm_values",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False),
        help="Values file for --helm (repeatable).",
    ),
    click.option("-j", "--jobs", type=click.IntRange(min=0), help="Worker processes (0 = one per CPU, 1 = no pool)."),
    click.option(
        "--max-file-size", type=click.IntRange(min=1), help="Skip files larger than this many bytes [default: 10 MB]."
    ),
    click.option("--show-suppressed", is_flag=True, help="Also report suppressed findings, marked as such."),
    click.option("-q", "--quiet", is_flag=True, help="Print the findings without the summary."),
    click.option("-s", "--silent", is_flag=True, help="Print nothing; only the exit status tells."),
    click.option("-v", "--verbose", is_flag=True, help="Show fix hints and skipped documents."),
    click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings."),
    click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are at or above --fail-on."),
    *COLOR_OPTIONS,
    click.option("--max-warnings", type=click.IntRange(min=0), help="Also exit 1 when there are more than N warnings."),
    click.option(
        "--baseline",
        "baseline_path",
        type=click.Path(dir_okay=False),
        help="Hide findings recorded in this baseline file; report only new ones.",
    ),
    click.option(
        "--update-baseline", is_flag=True, help="Record the current findings in the --baseline file and exit 0."
    ),
    click.option(
        "--context",
        "context",
        multiple=True,
        help="Also index the manifests under this directory so cross-file rules resolve; report only PATHS (repeatable).",
    ),
    click.option("--no-cache", is_flag=True, help="Lint every file afresh; neither read nor write the result cache."),
    click.option(
        "--cache-dir",
        type=click.Path(file_okay=False),
        help="Keep the result cache here [default: $K8SLINT_CACHE_DIR, else the user's cache folder].",
    ),
]
_FIX = click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what remains.")
_AFTER_FIX = [
    click.option("--unsafe-fixes", is_flag=True, help="Also apply the unsafe fixes (implies --fix)."),
    click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing (implies --fix)."),
    click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change (implies --fix)."),
    click.option(
        "--force", is_flag=True, help="Also fix files with several hard links (the other names keep the old text)."
    ),
]


def lint_options(with_fix_flag: bool):
    """Decorate a command with the shared lint options (``--fix`` only where asked: ``fix`` always fixes)."""
    decorators = _BEFORE_FIX + ([_FIX] if with_fix_flag else []) + _AFTER_FIX

    def decorate(fn):
        for decorator in reversed(decorators):  # the first in the list is the first in --help
            fn = decorator(fn)
        return fn

    return decorate
