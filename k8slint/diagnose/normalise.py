"""Turn pasted terminal output into clean logical lines ready for matching.

Handles what a copy from a terminal, a log viewer or ``kubectl describe`` brings
along: ANSI colour codes, Windows line endings, carriage-return progress
redraws, lines hard-wrapped at the terminal width, shell prompts, journald and
klog prefixes (including klog's structured ``"msg" err="..."`` form), and the
Type/Reason/Age/From columns of event tables.  Prompt lines are kept apart as
commands: they give context (namespace, pod, file) but are never matched.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from k8slint.diagnose.blocks import read_blocks
from k8slint.diagnose.command import command_context

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]")
OTHER_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# widths a terminal commonly wraps at; a line of exactly this length continues
STANDARD_WIDTHS = {80, 100, 120, 132, 140, 150, 160, 180, 200, 220, 240}

PROMPT = re.compile(
    r"""^\s*(?:
        \([^()\n]{1,80}\)\s*                            # (venv) or kube-ps1 "(⎈ |ctx:ns)" prefix
    )?(?:
        [\w.-]+@[\w.-]+(?::[^\s$#%>]*)?(?:\s\([\w.-]{1,60}\))?\s*[$#%]  # user@host:~/dir$, Cloud Shell's "~ (project)$"
      | \[[\w.-]+@[\w.-]+[^\]]*\]\s*[$#]                # [root@master ~]#
      | PS\s+[A-Za-z]:\\[^>]*>                          # PS C:\Users\me>
      | [A-Za-z]:\\[^>]*>                               # C:\Users\me>
      | [$#%❯➜»]                                        # bare prompts
    )\s+(?P<command>\S.*)$""",
    re.VERBOSE,
)

# a bare prompt glued to the command a known tool runs: "$kubectl get pods"
GLUED_PROMPT = re.compile(
    r"^\s*(?:[$#%❯➜»]|(?:PS\s+)?[A-Za-z]:\\[^>]*>)"  # cmd.exe prints "C:\dir>" with no space before the command
    r"(?P<command>(?:sudo\s+)?(?:kubectl|oc|helm|docker|docker-compose|kubeadm)\s.*)$"
)

JOURNAL = re.compile(r"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d [\w.-]+ [\w.@/-]+(?:\[\d+\])?: ")
KLOG = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w.-]+:\d+\] ")
LOGRUS = re.compile(r'^(?:time="[^"]*" )?level=\w+ msg="(?P<msg>(?:[^"\\]|\\.)*)"')
LEVEL_TAG = re.compile(r"^(?:WARN|WARNING|ERRO|ERROR|INFO|FATA)\[\d+\]\s+")

# kubectl describe: "  Warning  FailedScheduling  3m (x4 over 5m)  default-scheduler  message"
DESCRIBE_EVENT = re.compile(
    r"^\s*(?P<type>Normal|Warning)\s+(?P<reason>[A-Za-z]+)\s+"
    r"(?P<age><unknown>|\d[\w.]*(?:\s+\(x\d+ over [\w.]+\))?)\s+"
    r"(?P<source>[\w.-]+(?:,\s*[\w.-]+)*)\s{2,}(?P<message>\S.*)$"
)
# kubectl get events: "3m   Warning   BackOff   pod/web-1   message"
GET_EVENT = re.compile(
    r"^\s*(?P<age><unknown>|\d[\w.]*)\s+(?P<type>Normal|Warning)\s+(?P<reason>[A-Za-z]+)\s+"
    r"(?P<object>[\w.-]+/[\w.-]+)\s+(?P<message>\S.*)$"
)
EVENT_HEADER = re.compile(r"^\s*(?:Type\s+Reason\s+Age\s+From\s+Message|LAST SEEN\s+TYPE\s+REASON)|^\s*-{4}\s+-{6}")


@dataclass
class Line:
    """One logical input line after clean-up."""

    number: int  # 1-based number of the first physical line it came from
    text: str  # cleaned text that patterns are matched against
    facts: dict = field(default_factory=dict)  # facts the layout itself revealed
    context: dict = field(default_factory=dict)  # facts from the last command typed
    parts: tuple[int, ...] = ()  # for a re-joined wrapped line: the physical line numbers it spans


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data[:2000].count(b"\x00") > len(data[:2000]) // 4:  # UTF-16 without BOM
        return data.decode("utf-16-le", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def binary_input(data: bytes | str) -> str | None:
    """Why the input is not text (NUL bytes, mostly undecodable or control bytes), or None."""
    if isinstance(data, str) or not data:
        return None
    head = data[:65536]
    text = _decode(head)
    if text.count("\x00"):
        return f"{text.count(chr(0))} NUL bytes in the first {len(head)} bytes"
    bad = text.count("\ufffd") + len(OTHER_CONTROL.findall(text))
    if bad > max(8, len(text) // 10):
        return f"{bad} undecodable or control characters in the first {len(head)} bytes"
    return None


def _physical_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n")
    if "\t" in text:
        text = text.replace("\t", "    ")
    lines = text.split("\n")
    if "\r" in text:  # a progress line redrawn in place: the last redraw wins
        lines = [_last_redraw(raw) if "\r" in raw else raw for raw in lines]
    if "\x1b" in text:
        lines = [ANSI.sub("", raw) if "\x1b" in raw else raw for raw in lines]
    return [raw if raw.isprintable() else OTHER_CONTROL.sub("", raw) for raw in lines]


def _last_redraw(raw: str) -> str:
    parts = [p for p in raw.split("\r") if p.strip()]
    return parts[-1] if parts else ""


def _wrap_width(lines: list[str]) -> int | None:
    """The terminal width the paste was hard-wrapped at, if it looks wrapped."""
    lengths = Counter(len(line) for line in set(lines) if len(line) >= 60)
    if not lengths:
        return None
    longest = max(lengths)
    if longest in STANDARD_WIDTHS or lengths[longest] >= 2:  # two different lines cut at one width
        return longest
    return None


def _prompt(line: str) -> re.Match | None:
    return PROMPT.match(line) or GLUED_PROMPT.match(line)


def _starts_record(line: str) -> bool:
    return bool(_prompt(line) or KLOG.match(line) or JOURNAL.match(line))


def _wrapped_runs(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) indexes of runs of lines that a terminal probably cut at its width."""
    width = _wrap_width(lines)
    if width is None:
        return []
    runs = []
    start = None
    for i, line in enumerate(lines):
        if start is not None and (not line.strip() or _starts_record(line)):
            if i - 1 > start:
                runs.append((start, i - 1))
            start = None
        if start is None:
            if len(line) == width:
                start = i
            continue
        if len(line) != width:
            runs.append((start, i))
            start = None
    if start is not None and len(lines) - 1 > start:
        runs.append((start, len(lines) - 1))
    return runs


GO_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"?')
GO_ESCAPE = re.compile(r"\\(.)")
GO_ESCAPES = {"n": " ", "t": " "}
# klog's key=value pairs after the message: a run of them, then the pairs one by one
KLOG_PAIRS = re.compile(r'(?:\s+[\w.-]+=(?:"[^"\\]*(?:\\.[^"\\]*)*"?|[^ ]*))*')
KLOG_PAIR = re.compile(r'\s+([\w.-]+)=(?:"([^"\\]*(?:\\.[^"\\]*)*)"?|([^ ]*))')


def _go_text(body: str) -> str:
    return GO_ESCAPE.sub(lambda e: GO_ESCAPES.get(e.group(1), e.group(1)), body) if "\\" in body else body


def _go_unquote(text: str, start: int) -> tuple[str, int]:
    """Read a Go/klog double-quoted string starting at text[start] == '"'."""
    m = GO_STRING.match(text, start)
    return _go_text(m.group(1)), m.end()


def _structured_klog(text: str) -> str:
    """'"Couldn't get x" err="Get \\"http://...\\": refused"' -> 'Couldn't get x: Get "http://...": refused'."""
    if not text.startswith('"'):
        return text
    message, i = _go_unquote(text, 0)
    end = KLOG_PAIRS.match(text, i).end()
    if end == i:
        return message
    extras = []
    for key, quoted, plain in KLOG_PAIR.findall(text, i, end):
        value = _go_text(quoted) if quoted else plain
        extras.append(value if key == "err" else f"{key}={value}")
    return ": ".join([message, *extras])


def _strip_prefixes(text: str) -> str:
    text = JOURNAL.sub("", text)
    m = KLOG.match(text)
    if m:
        text = _structured_klog(text[m.end() :])
    m = LOGRUS.match(text)
    if m:
        text, _ = _go_unquote('"' + m.group("msg") + '"', 0)
    return LEVEL_TAG.sub("", text)


def _clean(raw: str) -> tuple[str, dict] | None:
    """Strip prefixes and event-table columns; None for lines that carry nothing."""
    text = _strip_prefixes(raw)
    if ("Reason" in text or "REASON" in text or "----" in text) and EVENT_HEADER.match(text):
        return None
    facts: dict = {}
    event = ("Normal" in text or "Warning" in text) and (DESCRIBE_EVENT.match(text) or GET_EVENT.match(text))
    if event:
        facts["event_reason"] = event.group("reason")
        obj = event.groupdict().get("object")
        if obj:
            kind, _, name = obj.partition("/")
            if kind.lower() in ("pod", "pods"):
                facts["pod"] = name
            else:
                facts["object"] = obj
        text = event.group("message")
    text = text.strip()
    return (text, facts) if text else None


def normalise(data: bytes | str, worth_reading: Callable[[list[str]], set[int] | None] | None = None) -> list[Line]:
    """Clean pasted output into lines; prompt lines become context only.

    ``worth_reading`` (the knowledge base's needle search) names the lines that
    can match at all; the others are not cleaned and give no Line, which keeps a
    10 MB log fast. A line with a backslash is always read: unescaping a Go
    string can make a needle appear.

    Lines a terminal cut at its width are offered twice: as they are, and
    re-joined (``parts`` set) right after the last piece, so a message split
    across lines still matches while tables of equal-width rows stay intact.
    The layout of the paste (describe blocks, get tables, socket listings)
    adds what it says about each line's object (:mod:`blocks`).
    """
    lines = _physical_lines(_decode(data))
    runs = {last: first for first, last in _wrapped_runs(lines)}
    commands: dict[int, dict] = {}
    prompted: dict[str, str | None] = {}  # distinct line -> the command it types (logs repeat lines)
    for index, raw in enumerate(lines):
        if raw not in prompted:
            m = _prompt(raw)
            prompted[raw] = m.group("command") if m else None
        command = prompted[raw]
        if command is not None:
            commands[index] = command_context(command)
    blocks = read_blocks(lines, commands)
    found = worth_reading(lines) if worth_reading else None
    # a line with a backslash is always read: unescaping a Go string can make a needle appear
    wanted = range(len(lines)) if found is None else found.union(i for i, raw in enumerate(lines) if "\\" in raw)
    contexts = _Contexts(lines, commands, blocks.paste)
    seen: dict[str, tuple[str, dict] | None] = {}  # logs repeat lines: clean each distinct one once
    facts = _Facts(blocks)
    result: list[Line] = []
    for index in sorted({*wanted, *runs}):  # only lines that can match, and the ends of wrapped runs
        raw = lines[index]
        if index not in commands and index in wanted:
            cleaned = seen[raw] if raw in seen else seen.setdefault(raw, _clean(raw))
            if cleaned:
                result.append(Line(index + 1, cleaned[0], *facts.of(index, cleaned[1], contexts.at(index))))
        first = runs.get(index)
        if first is not None and first not in commands:
            cleaned = _clean("".join(lines[first : index + 1]))
            if cleaned:
                line = Line(first + 1, cleaned[0], *facts.of(first, cleaned[1], contexts.at(first)))
                line.parts = tuple(range(first + 1, index + 2))
                result.append(line)
    return result


class _Contexts:
    """The context of each line: the facts of the last command typed above it (one object per distinct prompt)."""

    def __init__(self, lines: list[str], commands: dict[int, dict], paste: dict):
        self.prompts = sorted(commands)
        self.paste = dict(paste)
        by_prompt: dict[str, dict] = {}
        self.of_prompt = {
            i: by_prompt.get(lines[i]) or by_prompt.setdefault(lines[i], {**paste, **commands[i]}) for i in self.prompts
        }

    def at(self, index: int) -> dict:
        k = bisect_right(self.prompts, index) - 1
        return self.of_prompt[self.prompts[k]] if k >= 0 else self.paste


class _Facts:
    """A line's facts and context: what its text and the layout say, merged once per distinct combination.

    Lines with equal facts share the dicts (nobody changes a Line's facts), which
    lets matching reuse its work for the repeated lines of a big paste.
    """

    def __init__(self, blocks):
        self.blocks = blocks
        self.merged: dict[tuple, tuple] = {}
        self.keep: list = []  # the objects whose ids key ``merged`` stay alive

    def of(self, index: int, facts: dict, context: dict) -> tuple[dict, dict]:
        own = self.blocks.identity.get(index)
        if own is None:
            return facts, context
        more = self.blocks.context[index]
        key = (id(own), id(facts), id(context), id(more))
        if key not in self.merged:
            self.keep.append((own, facts, context, more))
            self.merged[key] = ({**own, **facts}, {**context, **more})
        return self.merged[key]
