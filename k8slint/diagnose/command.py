"""Read a typed command line for the facts it reveals (namespace, pod, file, ...).

Only the segment of a pipeline or command list that runs a tool we know
(kubectl, helm, docker, kubeadm ...) is read, and only with that tool's own
flags: in ``kubectl logs web -n shop | sed -n 1,20p`` the namespace is ``shop``,
and ``tail -n 12`` says nothing about namespaces.
"""

from __future__ import annotations

import shlex
from functools import lru_cache

KUBECTL = {"kubectl", "oc", "k", "kubectl.exe", "microk8s.kubectl", "k3s"}
OPERATORS = {"|", "||", "&&", ";", "&", "|&"}

# per tool: flag -> fact name (None: the flag takes a value we do not keep)
FLAGS: dict[str, dict[str, str | None]] = {
    "kubectl": {
        "-n": "namespace",
        "--namespace": "namespace",
        "-f": "file",
        "--filename": "file",
        "-c": "container",
        "--container": "container",
        "--context": "context",
        "-o": None,
        "--output": None,
        "-l": None,
        "--selector": None,
        "--field-selector": None,
        "--sort-by": None,
        "--cluster": None,
        "--user": None,
        "--kubeconfig": None,
        "-s": None,
        "--server": None,
        "--tail": None,
        "--since": None,
        "--timeout": None,
        "--type": None,
        "--image": None,
        "-i": False,  # flags listed as False take no value
        "-t": False,
        "-it": False,
        "-p": False,
        "--previous": False,
    },
    "helm": {
        "-n": "namespace",
        "--namespace": "namespace",
        "-f": "values",
        "--values": "values",
        "--kube-context": "context",
        "--version": None,
        "--set": None,
        "--set-string": None,
        "--timeout": None,
        "-o": None,
        "--output": None,
        "--repo": None,
    },
    "docker": {
        "-f": "file",
        "--file": "file",
        "-p": "project",
        "--project-name": "project",
        "--env-file": "env_file",
        "--profile": None,
        "-H": None,
        "--host": None,
        "--context": None,
        "-t": None,
        "--tag": None,
        "--platform": None,
    },
    "kubeadm": {"--config": "file", "--node-name": "node", "--cri-socket": "endpoint", "-v": None, "--v": None},
}
FLAGS["docker-compose"] = FLAGS["docker"]

# characters that make shell words differ from whitespace-separated ones (quotes, escapes, operators, comments)
SHELL_SPECIAL = "'\"\\|&;#"

# kubectl resource words that name pods
POD_WORDS = {"pod", "pods", "po"}


def _words(command: str) -> list[str]:
    if not any(c in command for c in SHELL_SPECIAL):  # nothing shlex would treat specially: plain words
        return command.split()
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|&;")
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # an unbalanced quote: fall back to plain words
        return command.split()


def _segments(words: list[str]) -> list[list[str]]:
    segments: list[list[str]] = [[]]
    for word in words:
        if word in OPERATORS:
            segments.append([])
        else:
            segments[-1].append(word)
    return [s for s in segments if s]


def _tool(words: list[str]) -> tuple[str, list[str]]:
    """The tool a segment runs and its arguments (skips sudo, env assignments, paths)."""
    i = 0
    while i < len(words) and (words[i] in ("sudo", "env", "time", "command") or "=" in words[i].split("/")[0]):
        i += 1
    if i >= len(words):
        return "", []
    name = words[i].replace("\\", "/").rsplit("/", 1)[-1]
    if name in KUBECTL:
        return "kubectl", words[i + 1 :]
    if name.removesuffix(".exe") in FLAGS:
        return name.removesuffix(".exe"), words[i + 1 :]
    return "", []


def _flag_table(tool: str, args: list[str]) -> dict:
    """The flags of the tool; for kubectl logs/attach, -f is --follow, not a file."""
    table = FLAGS[tool]
    verb, i = "", 0
    while i < len(args) and not verb:
        word = args[i]
        if not word.startswith("-"):
            verb = word
        elif word in table and table[word] is not False:  # its value is the next word
            i += 1
        i += 1
    if tool == "kubectl" and verb in ("logs", "attach"):
        return {**FLAGS[tool], "-f": False, "--follow": False}
    return FLAGS[tool]


def _read_flags(tool: str, args: list[str]) -> tuple[dict, list[str], set[str]]:
    table = _flag_table(tool, args)
    facts: dict = {}
    positional: list[str] = []
    switches: set[str] = set()
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            positional.extend(args[i + 1 :])
            break
        flag, eq, inline = word.partition("=")
        if flag.startswith("-") and flag in table:
            name = table[flag]
            if name is False:
                switches.add(flag)
                i += 1
                continue
            value = inline if eq else (args[i + 1] if i + 1 < len(args) else None)
            if name and value:
                facts.setdefault(name, value)
            i += 1 if eq else 2
            continue
        if word.startswith("-"):
            switches.add(flag)
        else:
            positional.append(word)
        i += 1
    return facts, positional, switches


def _kubectl_objects(positional: list[str], switches: set[str]) -> dict:
    facts: dict = {}
    verb = positional[0] if positional else ""
    facts["kubectl_verb"] = verb
    rest = positional[1:]
    if verb in ("logs", "exec", "attach", "port-forward", "debug") and rest:
        kind, _, name = rest[0].rpartition("/")
        if kind in ("", *POD_WORDS):
            facts["pod"] = name
        if verb == "logs" and ("-p" in switches or "--previous" in switches):
            facts["previous"] = True
        return facts
    if verb in ("describe", "get", "delete", "edit", "rollout", "scale") and rest:
        resource = rest[1] if verb == "rollout" and len(rest) > 1 else rest[0]
        if "/" in resource:
            kind, _, name = resource.partition("/")
        else:
            kind, name = resource, (rest[1] if len(rest) > 1 and verb != "rollout" else "")
        kind = kind.split(",")[0].lower()
        facts["kubectl_resource"] = kind
        if name:
            if kind in POD_WORDS:
                facts["pod"] = name
            else:
                facts["object"] = f"{kind}/{name}"
    return facts


def command_context(command: str) -> dict:
    """Facts a typed command line reveals; {} when it runs no tool we know."""
    return dict(_command_context(command))


@lru_cache(maxsize=1024)
def _command_context(command: str) -> dict:
    facts: dict = {}
    for segment in _segments(_words(command)):
        tool, args = _tool(segment)
        if not tool:
            continue
        if tool == "docker" and args[:1] == ["compose"]:
            tool, args = "docker-compose", args[1:]
        known, positional, switches = _read_flags(tool, args)
        facts = {"command": command.strip(), "command_tool": tool, **known}
        if tool == "kubectl":
            facts.update(_kubectl_objects(positional, switches))
        elif tool == "docker" and len(positional) > 1 and positional[0] in ("push", "pull"):
            facts["image"] = positional[1]
        elif (
            tool == "helm" and len(positional) > 1 and positional[0] in ("install", "upgrade", "rollback", "uninstall")
        ):
            facts["release"] = positional[1]
        return facts  # the first segment that runs a known tool is the one whose output was pasted
    return facts
