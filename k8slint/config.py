"""Settings: what shapes a run, with defaults; config values and command-line flags applied on top.

A leaf: reading config files and checking names against the rules and the API
catalog happen above it (``configfile``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields
from pathlib import Path

from k8slint.errors import ConfigError

DEFAULT_KUBERNETES_VERSION = "1.37"


@dataclass
class Settings:
    """Everything that shapes a run. Config keys are the kebab-case field names."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    respect_gitignore: bool = True  # directory walks leave out what .gitignore files ignore
    kubernetes_version: str = DEFAULT_KUBERNETES_VERSION
    api_resources: str | None = None
    crds: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)  # ValidatingAdmissionPolicies (and params) from elsewhere
    namespace: str = "default"
    rules: dict[str, dict] = field(default_factory=dict)
    fail_on: str = "error"
    max_file_size: int = 10 * 1024 * 1024
    jobs: int = 0
    static_pod_paths: list[str] = field(default_factory=list)
    compose_files: list[str] = field(default_factory=list)  # merged in order into one compose project
    env_file: str | None = None  # compose interpolation variables instead of .env
    env_from_process: bool = False  # compose interpolation uses process-environment values (command line only)
    context: list[str] = field(default_factory=list)
    kustomize: bool = False  # build kustomization roots with kustomize and lint what they render
    helm: str | None = None  # a chart to render with `helm template` and lint
    helm_values: list[str] = field(default_factory=list)  # values files for the chart
    cache: bool = True  # reuse unchanged files' results from the per-user cache (``cache``)
    cache_dir: str | None = None  # command line only: a repository must not choose where k8slint writes
    config_file: str | None = None

    def kubernetes_versions(self) -> list[str]:
        """The run's target versions: ``kubernetes_version`` may list several, ``"1.29,1.33,1.37"``."""
        versions = [part.strip() for part in str(self.kubernetes_version).split(",") if part.strip()]
        return list(dict.fromkeys(versions)) or [DEFAULT_KUBERNETES_VERSION]


COMMAND_LINE_ONLY = ("config_file", "cache_dir", "env_from_process")  # a repository's config must not set these
CONFIG_KEYS = {f.name.replace("_", "-"): f for f in fields(Settings) if f.name not in COMMAND_LINE_ONLY}


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


# keys naming files k8slint reads: from a config file they must stay inside the config file's directory
PATH_KEYS = ("api-resources", "crds", "policies", "compose-files", "env-file", "context")


def apply_config(settings: Settings, path: Path, data: dict) -> None:
    """Set the keys of a config file's mapping, each checked for its type (and paths for where they lead)."""
    settings.config_file = str(path)
    for key, value in data.items():
        if key not in CONFIG_KEYS:
            raise ConfigError(f"{path}: unknown config key {key!r}{did_you_mean(key, CONFIG_KEYS)}")
        value = _coerce(path, key, value)
        if key in PATH_KEYS:
            _check_inside(path, key, value)
        setattr(settings, CONFIG_KEYS[key].name, value)


def _check_inside(path: Path, key: str, value) -> None:
    """A config file is part of the repository it lints, which may be a stranger's: the files it names must be
    that repository's (relative, no way out through ``..`` or a symlink). Only the command line names others."""
    root = path.resolve().parent
    for item in value if isinstance(value, list) else [value] if value is not None else []:
        if Path(item).is_absolute() or not Path(item).resolve().is_relative_to(root):
            raise ConfigError(
                f"{path}: {key}: {item!r} is outside the repository ({root}); "
                "absolute paths and '..' are for the command line only"
            )


def apply_overrides(settings: Settings, overrides: dict) -> None:
    """Set the non-empty command-line values (field name -> value)."""
    for name, value in overrides.items():
        if value not in (None, (), []):
            setattr(settings, name, list(value) if isinstance(value, tuple) else value)


def _coerce(path: Path, key: str, value):
    expected = CONFIG_KEYS[key].type
    if key == "kubernetes-version" and isinstance(value, list):  # several versions: [1.29, 1.33]
        value = ",".join(str(item) for item in value)
    if expected.startswith("list") and isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    if expected.startswith("list") and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ConfigError(f"{path}: {key} must be a list of strings")
    if expected.startswith("dict") and not isinstance(value, dict):
        raise ConfigError(f"{path}: {key} must be a mapping")
    if expected == "bool" and not isinstance(value, bool):
        raise ConfigError(f"{path}: {key} must be true or false")
    if expected == "int" and (not isinstance(value, int) or isinstance(value, bool)):
        raise ConfigError(f"{path}: {key} must be a whole number")
    if expected.startswith("str") and not isinstance(value, (str, int, float)):
        raise ConfigError(f"{path}: {key} must be a string")
    return str(value) if expected.startswith("str") and value is not None else value
