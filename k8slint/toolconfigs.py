"""Tool configs: documents with apiVersion/kind that a tool reads and no API server ever sees.

The table is data (``data/tool-configs.yaml``, one documented source per
entry); a few formats are recognised by their shape instead: Grafana
provisioning files (``apiVersion: 1``), Helm's ``Chart.yaml`` and KRM
function configs (the ``config.kubernetes.io/function`` annotation).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache, lru_cache

FUNCTION_ANNOTATIONS = ("config.kubernetes.io/function", "config.k8s.io/function")


@dataclass(frozen=True)
class ToolFormat:
    tool: str
    groups: frozenset
    api_versions: frozenset
    kinds: frozenset
    source: str

    def matches(self, api_version: str, kind: str) -> bool:
        group = api_version.rpartition("/")[0]
        if self.kinds and kind not in self.kinds:
            return False
        return (bool(group) and group in self.groups) or api_version in self.api_versions


@cache
def formats() -> tuple[ToolFormat, ...]:
    from k8slint import yamlio
    from k8slint.paths import data_dir

    entries = yamlio.load_data((data_dir() / "tool-configs.yaml").read_text(encoding="utf-8"))
    return tuple(
        ToolFormat(
            tool=entry["tool"],
            groups=frozenset(entry.get("groups", ())),
            api_versions=frozenset(entry.get("api-versions", ())),
            kinds=frozenset(entry.get("kinds", ())),
            source=entry["source"],
        )
        for entry in entries
    )


def tool_of(data: dict, file: str = "") -> str | None:
    """The tool that reads this document when it is a tool's config, else None."""
    api_version = data.get("apiVersion")
    if isinstance(api_version, int) and not isinstance(api_version, bool) and "kind" not in data:
        return "Grafana provisioning"  # https://grafana.com/docs/grafana/latest/administration/provisioning/
    if os.path.basename(file) == "Chart.yaml" and "kind" not in data and "name" in data:
        return "Helm chart metadata"  # https://helm.sh/docs/topics/charts/#the-chartyaml-file
    metadata = data.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if isinstance(annotations, dict) and any(key in annotations for key in FUNCTION_ANNOTATIONS):
        # https://github.com/kubernetes-sigs/kustomize/blob/master/cmd/config/docs/api-conventions/functions-spec.md
        return "KRM function config"
    kind = data.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return None
    return _tool_for(api_version, kind)


@lru_cache(maxsize=4096)  # asked of every document: a run has few apiVersion/kind pairs
def _tool_for(api_version: str, kind: str) -> str | None:
    return next((entry.tool for entry in formats() if entry.matches(api_version, kind)), None)
