"""Load and validate the troubleshooting knowledge base.

Each entry is one YAML file in ``rules/troubleshooting/`` named after its id.
Anything malformed raises :class:`KnowledgeError` with a one-line message naming the
file and the field, so a contributor sees exactly what to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from k8slint.diagnose.facts import ENRICHERS
from k8slint.diagnose.needles import NeedleIndex, backtracking_risk, needles
from k8slint.paths import rules_dir

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED = ("id", "title", "patterns", "summary", "causes", "fix", "verify")
OPTIONAL = (
    "confidence",
    "related_rules",
    "overrides",
    "enrich",
    "tool",
    "examples",
    "sources",
    "lint_match",
    "identity",
    "specificity",
    "kinds",
)
# how much a match says about the cause: a symptom (CrashLoopBackOff, Pending) is
# produced by many causes, an error names one failure, a cause names the reason itself
SPECIFICITY = {"symptom": 0, "error": 1, "cause": 2}
PATTERN_KEYS = {"regex", "confidence", "specificity", "kinds"}
TEMPLATED = ("title", "summary", "causes", "fix", "verify")


class KnowledgeError(Exception):
    """A knowledge-base file is missing, unreadable or malformed."""


def default_dir() -> Path:
    return rules_dir() / "troubleshooting"


@dataclass(frozen=True)
class Pattern:
    source: str  # the regex, compiled on first use (most patterns never see a line with their needle)
    confidence: float
    specificity: int = SPECIFICITY["error"]
    kinds: frozenset[str] = frozenset()  # the line must not be about another kind of object
    needles: frozenset[str] | None = None  # every match contains one of these (None: unknown)
    ignore_case: bool = False

    @property
    def regex(self) -> re.Pattern:
        return _regex(self.source)


@cache
def _regex(source: str) -> re.Pattern:
    return re.compile(source)


@dataclass
class KnowledgeEntry:
    id: str
    title: str
    patterns: list[Pattern]
    summary: str
    causes: list[str]
    fix: list[str]
    verify: list[str]
    confidence: float = 0.8
    related_rules: list[str] = field(default_factory=list)
    overrides: list[str] = field(default_factory=list)
    enrich: list[str] = field(default_factory=list)
    tool: str = ""
    examples: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    lint_match: list[str] = field(default_factory=list)  # facts a related finding must mention
    identity: list[str] | None = None  # facts that tell two problems apart (default: all captured)
    specificity: int = SPECIFICITY["error"]
    kinds: list[str] = field(default_factory=list)
    path: str = ""


@dataclass
class KnowledgeBase:
    entries: list[KnowledgeEntry]
    _needles: NeedleIndex | None = field(default=None, init=False, repr=False)
    _unfiltered: list[tuple[int, int]] = field(default_factory=list, init=False, repr=False)  # patterns without needles

    def _index(self) -> NeedleIndex:
        if self._needles is None:
            exact: dict[str, list] = {}
            folded: dict[str, list] = {}
            for e_index, entry in enumerate(self.entries):
                for p_index, pattern in enumerate(entry.patterns):
                    if pattern.needles is None:
                        self._unfiltered.append((e_index, p_index))
                    for needle in pattern.needles or ():
                        (folded if pattern.ignore_case else exact).setdefault(needle, []).append((e_index, p_index))
            self._needles = NeedleIndex(exact, folded)
        return self._needles

    def lines_worth_reading(self, lines: list[str]) -> set[int] | None:
        """Indexes of the lines that contain a needle of some pattern (None: every line may match)."""
        index = self._index()
        return None if self._unfiltered else index.lines_with_any(lines)

    def candidates(self, text: str) -> list[tuple[int, int]]:
        """(entry index, pattern index) of the patterns that may match the text, in knowledge-base order."""
        return sorted(self._index().payloads(text).union(self._unfiltered))

    def get(self, entry_id: str) -> KnowledgeEntry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)


def _fail(path: Path, message: str):
    raise KnowledgeError(f"{path}: {message}")


def _string_list(path: Path, data: dict, key: str, *, required: bool) -> list[str]:
    value = data.get(key, [] if not required else None)
    if not isinstance(value, list):
        _fail(path, f"'{key}' must be a list of strings")
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            hint = " (quote it: a ': ' inside an unquoted item makes it a mapping)" if isinstance(item, dict) else ""
            _fail(path, f"'{key}' item {number} must be a non-empty string{hint}")
    if required and not value:
        _fail(path, f"'{key}' must not be empty")
    return value


def _specificity(path: Path, value) -> int:
    if value not in SPECIFICITY:
        _fail(path, f"specificity must be one of {', '.join(SPECIFICITY)}, got {value!r}")
    return SPECIFICITY[value]


def _kinds(path: Path, value) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(k, str) and k[:1].isupper() for k in value):
        _fail(path, f"'kinds' must be a list of Kubernetes kinds (Pod, PersistentVolumeClaim ...), got {value!r}")
    return frozenset(value)


def _compile(path: Path, raw, default: float, specificity: int, kinds: frozenset[str]) -> Pattern:
    if isinstance(raw, dict):
        regex, confidence = raw.get("regex"), raw.get("confidence", default)
        extra = set(raw) - PATTERN_KEYS
        if extra:
            _fail(path, f"unknown pattern key(s): {', '.join(sorted(extra))}")
        if "specificity" in raw:
            specificity = _specificity(path, raw["specificity"])
        if "kinds" in raw:
            kinds = _kinds(path, raw["kinds"])
    else:
        regex, confidence = raw, default
    if not isinstance(regex, str) or not regex:
        _fail(path, "each pattern must be a regex string or {regex, confidence, specificity, kinds}")
    if not isinstance(confidence, (int, float)) or not 0 < confidence <= 1:
        _fail(path, f"pattern confidence must be a number in (0, 1], got {confidence!r}")
    try:
        compiled = re.compile(regex)
    except re.error as exc:
        _fail(path, f"pattern {regex!r} does not compile: {exc}")
    risk = backtracking_risk(compiled)
    if risk:
        _fail(path, f"pattern {regex!r}: {risk}")
    found, ignore_case = needles(compiled)
    return Pattern(regex, float(confidence), specificity, kinds, found, ignore_case)


def parse_entry(path: Path, data) -> KnowledgeEntry:
    """Validate one entry's data; raise KnowledgeError on the first problem."""
    from jinja2 import TemplateSyntaxError

    from k8slint.diagnose.render import template_env

    if not isinstance(data, dict):
        _fail(path, "an entry must be a YAML mapping")
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        _fail(path, f"missing required key(s): {', '.join(missing)}")
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        _fail(path, f"unknown key(s): {', '.join(unknown)}")
    entry_id = data["id"]
    if not isinstance(entry_id, str) or not ID_RE.match(entry_id):
        _fail(path, f"id {entry_id!r} must be a kebab-case slug")
    if path.suffix in (".yaml", ".yml") and path.stem != entry_id:
        _fail(path, f"id {entry_id!r} must match the file name {path.stem!r}")
    for key in ("title", "summary"):
        if not isinstance(data[key], str) or not data[key].strip():
            _fail(path, f"'{key}' must be a non-empty string")
    confidence = data.get("confidence", 0.8)
    if not isinstance(confidence, (int, float)) or not 0 < confidence <= 1:
        _fail(path, f"'confidence' must be a number in (0, 1], got {confidence!r}")
    if not isinstance(data["patterns"], list) or not data["patterns"]:
        _fail(path, "'patterns' must be a non-empty list")
    specificity = _specificity(path, data.get("specificity", "error"))
    kinds = _kinds(path, data.get("kinds", []))
    patterns = [_compile(path, raw, float(confidence), specificity, kinds) for raw in data["patterns"]]
    lists = {
        key: _string_list(path, data, key, required=key in REQUIRED)
        for key in ("causes", "fix", "verify", "related_rules", "overrides", "enrich", "examples", "sources")
    }
    for rule in lists["related_rules"] + lists["overrides"]:
        if not ID_RE.match(rule):
            _fail(path, f"{rule!r} is not a valid rule or entry id")
    for name in lists["enrich"]:
        if name not in ENRICHERS:
            _fail(path, f"unknown enricher {name!r} (known: {', '.join(sorted(ENRICHERS))})")
    lint_match = _string_list(path, data, "lint_match", required=False)
    identity = _string_list(path, data, "identity", required=False) if "identity" in data else None
    tool = data.get("tool", "")
    if not isinstance(tool, str):
        _fail(path, "'tool' must be a string")
    env = template_env()
    for key in TEMPLATED:
        for text in [data[key]] if isinstance(data[key], str) else data[key]:
            try:
                env.parse(text)
            except TemplateSyntaxError as exc:
                _fail(path, f"template in '{key}' is invalid: {exc.message} ({text[:60]!r})")
    return KnowledgeEntry(
        id=entry_id,
        title=data["title"].strip(),
        patterns=patterns,
        summary=data["summary"].strip(),
        causes=lists["causes"],
        fix=lists["fix"],
        verify=lists["verify"],
        confidence=float(confidence),
        related_rules=lists["related_rules"],
        overrides=lists["overrides"],
        enrich=lists["enrich"],
        tool=tool,
        examples=lists["examples"],
        sources=lists["sources"],
        lint_match=lint_match,
        identity=identity,
        specificity=specificity,
        kinds=sorted(kinds),
        path=str(path),
    )


def _read_yaml(path: Path):
    from k8slint import yamlio  # only when the cache has no parsed copy

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc}") from None
    try:
        return yamlio.load_data(text)
    except yamlio.YamlError as exc:
        raise KnowledgeError(f"{path}: invalid YAML (line {exc.line}): {exc.message}") from None


def _load_dir(directory: Path) -> list[KnowledgeEntry]:
    if not directory.is_dir():
        raise KnowledgeError(f"{directory}: knowledge-base directory not found")
    entries = [parse_entry(p, _read_yaml(p)) for p in sorted(directory.glob("*.yaml")) if not p.name.startswith("_")]
    return entries


def _check_overrides(entries: list[KnowledgeEntry]) -> None:
    known = {e.id for e in entries}
    for entry in entries:
        for other in entry.overrides:
            if other not in known:
                raise KnowledgeError(f"{entry.path}: overrides unknown entry {other!r}")


@lru_cache(maxsize=8)
def _load_cached(dirs: tuple[str, ...]) -> KnowledgeBase:
    from k8slint.diagnose.kbcache import cached

    return cached(dirs, lambda: _parse_dirs(dirs))


def _parse_dirs(dirs: tuple[str, ...]) -> KnowledgeBase:
    by_id: dict[str, KnowledgeEntry] = {}
    for directory in dirs:
        for entry in _load_dir(Path(directory)):
            by_id[entry.id] = entry  # later directories replace earlier entries
    entries = list(by_id.values())
    _check_overrides(entries)
    return KnowledgeBase(entries)


def load(extra_dirs: list[str] | tuple[str, ...] = ()) -> KnowledgeBase:
    """The shipped knowledge base, plus entries from extra directories (same id replaces)."""
    return _load_cached((str(default_dir()), *map(str, extra_dirs)))
