"""Config files: find ``.k8slint.yaml`` or ``[tool.k8slint]`` upward, read it, and check it against the rules.

Builds ``Settings`` (defaults, then the config file, then command-line flags)
and rejects unknown rule ids, categories, options, severities and versions
with a did-you-mean.
"""

from __future__ import annotations

from pathlib import Path

from k8slint import yamlio
from k8slint.config import Settings, apply_config, apply_overrides, did_you_mean
from k8slint.errors import ConfigError
from k8slint.findings import SEVERITIES

CONFIG_NAMES = (".k8slint.yaml", ".k8slint.yml")


def find_config(start: Path) -> tuple[Path, dict] | None:
    """The nearest ``.k8slint.yaml`` or ``pyproject.toml`` with ``[tool.k8slint]``, searching upward."""
    for directory in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate, read_config_file(candidate)
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            table = _pyproject_table(pyproject)
            if table is not None:
                return pyproject, table
    return None


def read_config_file(path: Path) -> dict:
    if path.name == "pyproject.toml":
        return _pyproject_table(path) or {}
    try:
        data = yamlio.load_data(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config is not UTF-8 text") from None
    except yamlio.YamlError as exc:
        raise ConfigError(f"{path}:{exc.line}: config is not valid YAML: {exc.message}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: config must be a mapping of keys to values")
    return data


def _pyproject_table(path: Path) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if "k8slint" not in text:  # no [tool.k8slint] in any spelling: skip the TOML parser (and its import)
        return None
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return data.get("tool", {}).get("k8slint")


def load_settings(config_path: str | None, overrides: dict, cwd: Path | None = None) -> Settings:
    """Defaults, then the config file (explicit or found), then non-empty command-line overrides."""
    settings = Settings()
    if config_path:
        path = Path(config_path)
        if not path.is_file():
            raise ConfigError(f"{config_path}: config file not found")
        found = (path, read_config_file(path))
    else:
        found = find_config((cwd or Path.cwd()).resolve())
    if found:
        apply_config(settings, *found)
    apply_overrides(settings, overrides)
    validate(settings)
    return settings


def validate(settings: Settings) -> None:
    """Reject unknown rule ids, categories, severities and versions with a did-you-mean."""
    from k8slint.registry import all_rules

    rules = all_rules()
    names = set(rules) | {rule.category for rule in rules.values()} | {"all"}
    where = f"{settings.config_file}: " if settings.config_file else ""
    for key in ("select", "ignore"):
        for name in getattr(settings, key):
            if name not in names:
                raise ConfigError(f"{where}{key}: unknown rule or category {name!r}{did_you_mean(name, names)}")
    for name, level in settings.severity.items():
        if name not in rules:
            raise ConfigError(f"{where}severity: unknown rule {name!r}{did_you_mean(name, rules)}")
        if level not in SEVERITIES:
            raise ConfigError(f"{where}severity: {name}: {level!r} is not one of {', '.join(SEVERITIES)}")
    for name, options in settings.rules.items():
        if name not in rules:
            raise ConfigError(f"{where}rules: unknown rule {name!r}{did_you_mean(name, rules)}")
        if not isinstance(options, dict):
            raise ConfigError(f"{where}rules: {name}: options must be a mapping")
        for option in options:
            if option not in rules[name].options:
                known = rules[name].options
                hint = did_you_mean(option, known) if known else f"; {name} takes no options"
                raise ConfigError(f"{where}rules: {name}: unknown option {option!r}{hint}")
            problem = rules[name].options[option].problem(options[option])
            if problem:
                raise ConfigError(f"{where}rules: {name}: option {option} {problem}")
    if settings.fail_on not in SEVERITIES:
        raise ConfigError(f"fail-on must be one of {', '.join(SEVERITIES)}")
    from k8slint.kube.apis import catalog_for
    from k8slint.kube.schemas import schema_file

    # a supported version, a readable --api-resources file, existing CRD paths; loaded once, shared by workers
    for version in settings.kubernetes_versions():
        schema_file(catalog_for(version, settings.api_resources, tuple(settings.crds)).schema_minor)
    if settings.policies:
        from k8slint.kube.admission import load_policy_files

        load_policy_files(tuple(settings.policies))  # existing, readable YAML; read once
