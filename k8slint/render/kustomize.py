"""Kustomize: build each kustomization root with kustomize itself, and trace rendered objects to their files.

A root is a kustomization of the run that no other one of the run includes
(an overlay, or a base nothing builds on); components are never built alone.
Each root is built on its own, through a temporary kustomization that wraps
it and asks for ``buildMetadata: [originAnnotations]``, so every object says
which file it came from. The build runs ``kustomize build`` (or, without it,
``kubectl kustomize``) with plugins, exec functions and Helm inflation turned
off: nothing from the repository runs but kustomize itself, and each build
has a time limit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

from k8slint import layout, yamlio
from k8slint.findings import Finding
from k8slint.render.origins import Origin, Patch, display, in_origin, object_document, read_documents, trace
from k8slint.sources import Source

TIMEOUT_SECONDS = 60
ORIGIN_ANNOTATION = "config.kubernetes.io/origin"
NO_BINARY = (
    "--kustomize: neither kustomize nor kubectl is on PATH, so kustomizations are not built; "
    "their files are linted as they are"
)


def command() -> list[str] | None:
    """The build command without its directory: plugins, exec functions and Helm charts disabled; None without a binary."""
    kustomize = shutil.which("kustomize")
    if kustomize:
        return [kustomize, "build", "--enable-alpha-plugins=false", "--enable-exec=false", "--enable-helm=false"]
    kubectl = shutil.which("kubectl")
    if kubectl:  # kubectl kustomize has no exec flag: exec functions need alpha plugins, off here
        return [kubectl, "kustomize", "--enable-alpha-plugins=false", "--enable-helm=false"]
    return None


def roots(paths: list[str]) -> list[str]:
    """The kustomization files among ``paths`` (files and directories) that no other one of them includes."""
    candidates = []
    for path in paths:
        found = layout.kustomization_in(path) if os.path.isdir(path) else None
        if found:
            candidates.append(os.path.abspath(found))
        elif os.path.basename(path) in layout.KUSTOMIZATION_NAMES:
            candidates.append(os.path.abspath(path))
    candidates = list(dict.fromkeys(candidates))
    included = set()
    for path in candidates:
        kustomization = layout.read_kustomization(path)
        if kustomization is None:
            continue
        included.update(filter(None, map(layout.kustomization_in, kustomization.resources)))
    return [path for path in candidates if path not in included and not _is_component(path)]


def _is_component(path: str) -> bool:
    documents = read_documents(path)
    return bool(documents) and isinstance(documents[0].data, dict) and documents[0].data.get("kind") == "Component"


def members(path: str, seen: set | None = None) -> set[str]:
    """Every file the build of the kustomization at ``path`` reads: kustomizations, resources, patches, inputs."""
    seen = set() if seen is None else seen
    if path in seen:
        return set()
    seen.add(path)
    kustomization = layout.read_kustomization(path)
    if kustomization is None:
        return {path}
    files = {path, *kustomization.patches, *kustomization.configs}
    for resource in kustomization.resources:
        sub = layout.kustomization_in(resource)
        files |= members(sub, seen) if sub else {resource}
    return files


@dataclass
class Build:
    """One root built: the rendered stream to lint, and where each of its objects was written."""

    kustomization: str  # the root's kustomization file, absolute
    source: Source
    origins: list[Origin | None] = field(default_factory=list)  # by document of the rendered stream
    rendered: list[dict | None] = field(default_factory=list)  # the objects as built, by document
    files: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return display(os.path.dirname(self.kustomization)) or "."

    def home(self, obj) -> str | None:
        """The file an object of the rendered stream was written in."""
        index = obj.doc.index
        origin = self.origins[index] if 0 <= index < len(self.origins) else None
        return origin.file if origin is not None else None

    def relocate(self, finding: Finding) -> None:
        """Move a finding on the rendered stream to the file (and line) the user edits."""
        index = finding.document
        origin = self.origins[index] if 0 <= index < len(self.origins) else None
        if origin is None:
            origin = Origin(self.kustomization)
            place = in_origin(origin, [])
        else:
            place = trace(self.rendered[index], origin, finding.path)
        finding.file = place.file
        finding.line, finding.column = place.span.line, place.span.column
        finding.end_line, finding.end_column = place.span.end_line, place.span.end_column


class BuildError(Exception):
    """kustomize refused the kustomization (or did not finish in time)."""


def build(kustomization: str, argv: list[str]) -> Build:
    """Build one root (BuildError with kustomize's own words when it fails)."""
    directory = os.path.dirname(kustomization)
    with tempfile.TemporaryDirectory(prefix="k8slint-kustomize-") as wrapper:
        target = os.path.relpath(directory, wrapper)  # kustomize refuses absolute resource paths
        wrapping = {"resources": [target], "buildMetadata": ["originAnnotations"]}
        with open(os.path.join(wrapper, "kustomization.yaml"), "w", encoding="utf-8") as handle:
            json.dump(wrapping, handle)  # JSON is YAML
        try:
            process = subprocess.run(
                [*argv, wrapper],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                stdin=subprocess.DEVNULL,
                cwd=directory,
            )
        except subprocess.TimeoutExpired:
            raise BuildError(f"the build did not finish within {TIMEOUT_SECONDS} seconds") from None
        except OSError as exc:
            raise BuildError(f"cannot run {argv[0]}: {exc.strerror}") from None
        if process.returncode != 0:
            raise BuildError(_first_error(process.stderr, wrapper, directory))
        return _read_build(kustomization, wrapper, process.stdout)


def _first_error(stderr: str, wrapper: str, directory: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    text = (lines or ["kustomize failed without a message"])[0].removeprefix("Error: ")
    return text.replace(wrapper + os.sep, "").replace(wrapper, ".").replace(directory + os.sep, "")


def _read_build(kustomization: str, wrapper: str, text: str) -> Build:
    documents, _ = yamlio.parse_stream(text)
    patches = patches_of(kustomization)
    result = Build(kustomization, Source(f"{display(os.path.dirname(kustomization)) or '.'} (kustomize build)"))
    for document in documents:
        data = document.data if isinstance(document.data, dict) else None
        result.rendered.append(data)
        result.origins.append(_origin(data, wrapper, kustomization, patches) if data else None)
    result.source.text_from_stdin = strip_origins(text)
    result.files = members(kustomization)
    return result


def _origin(data: dict, wrapper: str, kustomization: str, patches: list[Patch]) -> Origin | None:
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    annotations = metadata.get("annotations") if isinstance(metadata.get("annotations"), dict) else {}
    try:
        recorded = yamlio.load_data(annotations.get(ORIGIN_ANNOTATION) or "")
    except yamlio.YamlError:
        recorded = None
    if not isinstance(recorded, dict):
        return None
    if recorded.get("repo"):  # a remote base: its files are not in the repository
        return Origin(kustomization)
    written = recorded.get("path") or recorded.get("configuredIn")  # generators record their kustomization
    if not isinstance(written, str):
        return None
    file = os.path.normpath(os.path.join(wrapper, written))
    document = object_document(file, data.get("kind"), metadata.get("name") or "") if "path" in recorded else None
    return Origin(file, document, patches)


def strip_origins(text: str) -> str:
    """The rendered stream without the origin annotations asked for (an emptied ``annotations:`` goes too)."""
    kept, skip_deeper_than = [], None
    for line in text.splitlines(keepends=True):
        indent = len(line) - len(line.lstrip(" "))
        if skip_deeper_than is not None:
            if line.strip() and indent > skip_deeper_than:
                continue
            skip_deeper_than = None
        if line.lstrip(" ").startswith(ORIGIN_ANNOTATION + ":"):
            skip_deeper_than = indent
            continue
        kept.append(line)
    result = []
    for number, line in enumerate(kept):
        if line.strip() == "annotations:":
            following = kept[number + 1] if number + 1 < len(kept) else ""
            if len(following) - len(following.lstrip(" ")) <= len(line) - len(line.lstrip(" ")):
                continue
        result.append(line)
    return "".join(result)


def patches_of(kustomization: str, seen: set | None = None) -> list[Patch]:
    """The patches a build applies, in order: those of included kustomizations and components first."""
    seen = set() if seen is None else seen
    if kustomization in seen:
        return []
    seen.add(kustomization)
    documents = read_documents(kustomization)
    data = documents[0].data if documents and isinstance(documents[0].data, dict) else {}
    here = os.path.dirname(kustomization)
    found: list[Patch] = []
    for key in ("resources", "bases", "components"):
        for entry in _listed(data, key):
            sub = layout.kustomization_in(os.path.join(here, entry)) if isinstance(entry, str) else None
            if sub:
                found += patches_of(os.path.abspath(sub), seen)
    for key in ("patchesStrategicMerge", "patches", "patchesJson6902"):
        for index, entry in enumerate(_listed(data, key)):
            patch = _patch(kustomization, documents[0], key, index, entry)
            if patch is not None:
                found.append(patch)
    return found


def _listed(data: dict, key: str) -> list:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _patch(kustomization: str, document, key: str, index: int, entry) -> Patch | None:
    here = os.path.dirname(kustomization)
    target = entry.get("target") if isinstance(entry, dict) else None
    selector = tuple(sorted((k, str(v)) for k, v in target.items())) if isinstance(target, dict) else ()
    if isinstance(entry, str) and "\n" not in entry:
        file, text, field_path = os.path.normpath(os.path.join(here, entry)), None, None
    elif isinstance(entry, dict) and isinstance(entry.get("path"), str):
        file, text, field_path = os.path.normpath(os.path.join(here, entry["path"])), None, None
    elif isinstance(entry, (str, dict)):
        text = entry if isinstance(entry, str) else entry.get("patch")
        if not isinstance(text, str):
            return None
        file, field_path = kustomization, f"{key}[{index}]" + ("" if isinstance(entry, str) else ".patch")
    else:
        return None
    strategic = key == "patchesStrategicMerge" or (key == "patches" and _is_mapping(file, text))
    if field_path is None:
        return Patch(file, strategic, selector)
    line_offset, column_offset = _inline_offsets(kustomization, document, field_path)
    return Patch(file, strategic, selector, text, line_offset, column_offset)


def _is_mapping(file: str, text: str | None) -> bool:
    documents = read_documents(file, text)
    return bool(documents) and isinstance(documents[0].data, dict)


def _inline_offsets(kustomization: str, document, field_path: str) -> tuple[int, int]:
    """Lines and columns to add to positions in an inline patch to get positions in its kustomization."""
    node = yamlio.find_node(document.node, field_path)
    start = node.start_mark.line + document.line_offset
    if getattr(node, "style", None) not in ("|", ">"):
        return start, 0  # a quoted or plain scalar: point at its start
    # a block scalar: its text starts on the next line, indented
    lines = Source(kustomization, kustomization).read().splitlines()
    body = lines[start + 1] if start + 1 < len(lines) else ""
    return start + 1, len(body) - len(body.lstrip(" "))
