"""Facts from the blocks of pasted output (describe sections, get tables, socket listings), read before matching.

- ``kubectl describe`` blocks: the object (pod, claim, node), its namespace and,
  per container, image, state, last state (reason, exit code), limits and
  requests; every line of the block learns them, so an ``OOMKilled`` line knows
  the container's current memory limit;
- ``kubectl get`` tables: the kind of the rows (from the command or the header)
  and each row's name and namespace, so a claim's ``Pending`` is not a pod's;
- ``ss``/``netstat``/``lsof`` listings: which process listens on which port;
- the scheduler's ``Successfully assigned NS/POD to NODE`` event: the node (when the paste names one).

Work is linear in the paste: a line is only looked at closely when it can start
or belongs to one of these layouts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELD = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z][\w .()/-]*):(?:[ \t]+(?P<value>\S.*))?$")

# kubectl describe / get resource words -> kind
KINDS = {
    "pod": "Pod",
    "pods": "Pod",
    "po": "Pod",
    "pvc": "PersistentVolumeClaim",
    "persistentvolumeclaim": "PersistentVolumeClaim",
    "persistentvolumeclaims": "PersistentVolumeClaim",
    "pv": "PersistentVolume",
    "persistentvolume": "PersistentVolume",
    "persistentvolumes": "PersistentVolume",
    "node": "Node",
    "nodes": "Node",
    "no": "Node",
    "svc": "Service",
    "service": "Service",
    "services": "Service",
    "deploy": "Deployment",
    "deployment": "Deployment",
    "deployments": "Deployment",
    "ns": "Namespace",
    "namespace": "Namespace",
    "namespaces": "Namespace",
    "ing": "Ingress",
    "ingress": "Ingress",
    "ingresses": "Ingress",
}
# the fact that holds an object's name, per kind
NAME_FACT = {"Pod": "pod", "PersistentVolumeClaim": "pvc", "PersistentVolume": "pv", "Node": "node"}

# kubectl get headers that tell the kind when the command is not in the paste
HEADER_KINDS = (
    ({"READY", "STATUS", "RESTARTS"}, "Pod"),
    ({"STATUS", "VOLUME", "CAPACITY", "ACCESS MODES"}, "PersistentVolumeClaim"),
    ({"CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "CLAIM"}, "PersistentVolume"),
    ({"STATUS", "ROLES", "VERSION"}, "Node"),
    ({"TYPE", "CLUSTER-IP"}, "Service"),
)
# kubectl describe fields that tell the kind
DESCRIBE_MARKERS = (
    ("Containers", "Pod"),
    ("Init Containers", "Pod"),
    ("Access Modes", None),  # a claim or a volume: decided by Claim/Reclaim Policy below
    ("Kubelet Version", "Node"),
    ("Taints", "Node"),
)

# ss -ltnp: "LISTEN 0 4096 0.0.0.0:6443 0.0.0.0:* users:(("kube-apiserver",pid=812,fd=3))"
SS_ROW = re.compile(
    r"\bLISTEN\s+\d+\s+\d+\s+(?P<local>\S+):(?P<port>\d+)\s+\S+(?:\s+users:\(\(\"(?P<proc>[^\"]+)\",pid=(?P<pid>\d+))?"
)
# netstat -tlnp: "tcp6 0 0 :::6443 :::* LISTEN 812/kube-apiserver"
NETSTAT_ROW = re.compile(
    r"^tcp6?\s+\d+\s+\d+\s+(?P<local>\S+):(?P<port>\d+)\s+\S+\s+LISTEN\b(?:\s+(?P<pid>\d+)/(?P<proc>\S+))?"
)
# lsof -i :6443: "kube-apis 812 root 3u IPv6 29283 0t0 TCP *:6443 (LISTEN)"
LSOF_ROW = re.compile(
    r"^(?P<proc>\S+)\s+(?P<pid>\d+)\s+\S+\s+\S+\s+IPv[46]\s+.*\bTCP\s+(?P<local>\S+):(?P<port>\d+)\s+\(LISTEN\)"
)

# the scheduler's event: "Successfully assigned default/web-5d9c7b-x2 to worker-1"
ASSIGNED = re.compile(
    r"\bSuccessfully assigned (?P<namespace>[a-z0-9][a-z0-9.-]*)/(?P<pod>[a-z0-9][a-z0-9.-]*) to (?P<node>[a-z0-9][a-z0-9.-]*)\b"
)


@dataclass
class PasteBlocks:
    """What the layout says, per physical line (0-based) and for the whole paste."""

    identity: dict[int, dict] = field(default_factory=dict)  # which object a line is about
    context: dict[int, dict] = field(default_factory=dict)  # what else is known about it
    paste: dict = field(default_factory=dict)  # facts of the whole paste (listeners)


def _kind_of(resource: str | None) -> str | None:
    return KINDS.get((resource or "").lower())


def _is_prompt_or_blank(line: str, prompts: set[int], index: int) -> bool:
    return index in prompts or not line.strip()


# --- kubectl describe ------------------------------------------------------------


def _describe_block(lines: list[str], start: int, prompts: set[int]) -> int:
    """Index after the last line of the describe block starting at ``start`` (a 'Name:' line)."""
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if i in prompts or line.startswith("Name:"):
            break
        if line and not line[0].isspace() and not FIELD.match(line):
            break
        i += 1
    return i


def _container_facts(block: list[str]) -> dict[str, dict]:
    """Per container of a describe pod block: image, states, limits, requests."""
    containers: dict[str, dict] = {}
    current: dict | None = None
    section = ""  # State, Last State, Limits, Requests
    in_containers = False
    for line in block:
        m = FIELD.match(line)
        if not m:
            continue
        indent, key, value = len(m.group("indent")), m.group("key"), (m.group("value") or "").strip() or None
        if indent == 0:
            in_containers = key in ("Containers", "Init Containers")
            current = None
            continue
        if not in_containers:
            continue
        if indent == 2 and value is None:
            current = containers.setdefault(key, {"container": key})
            current["init_container"] = None
            section = ""
            continue
        if current is None:
            continue
        if indent == 4:
            section = key
            if key == "Image" and value:
                current["image"] = value
            elif key == "State" and value:
                current["state"] = value
            elif key == "Last State" and value:
                current["last_state"] = value
            elif key == "Restart Count" and value:
                current["restart_count"] = value
            continue
        if indent >= 6 and value:
            lowered = key.lower()
            if section == "State" and key == "Reason":
                current["state_reason"] = value
            elif section == "Last State" and key == "Reason":
                current["last_reason"] = value
            elif section == "Last State" and key == "Exit Code":
                current["exit_code"] = value
            elif section == "State" and key == "Exit Code":
                current.setdefault("exit_code", value)
            elif section in ("Limits", "Requests") and lowered in ("memory", "cpu", "ephemeral-storage"):
                current[f"{lowered.replace('-', '_')}_{section.lower()[:-1]}"] = value
    for facts in containers.values():
        facts.pop("init_container", None)
    return containers


def _container_spans(block: list[str]) -> list[tuple[int, int, str]]:
    """(first, end, name) line ranges of each container inside a describe block."""
    spans: list[tuple[int, int, str]] = []
    in_containers = False
    for i, line in enumerate(block):
        m = FIELD.match(line)
        indent = len(m.group("indent")) if m else (len(line) - len(line.lstrip(" ")))
        if m and indent == 0:
            in_containers = m.group("key") in ("Containers", "Init Containers")
        if spans and spans[-1][1] == -1 and indent <= 2 and line.strip():
            spans[-1] = (spans[-1][0], i, spans[-1][2])
        if in_containers and m and indent == 2 and m.group("value") is None:
            spans.append((i, -1, m.group("key")))
    if spans and spans[-1][1] == -1:
        spans[-1] = (spans[-1][0], len(block), spans[-1][2])
    return spans


def _read_describe(lines: list[str], start: int, end: int, resource: str | None, blocks: PasteBlocks) -> None:
    block = lines[start:end]
    top = {}
    for line in block:
        m = FIELD.match(line)
        if m and not m.group("indent"):
            top.setdefault(m.group("key"), (m.group("value") or "").strip())
    kind = _kind_of(resource)
    if kind is None:
        for marker, marked in DESCRIBE_MARKERS:
            if marker in top:
                kind = marked or ("PersistentVolume" if "Reclaim Policy" in top else "PersistentVolumeClaim")
                break
    name = top.get("Name", "").strip()
    identity: dict = {}
    context: dict = {}
    if kind:
        context["object_kind"] = kind
    if name and kind in NAME_FACT:
        identity[NAME_FACT[kind]] = name
    elif name and kind:
        identity["object"] = f"{kind.lower()}/{name}"
    if top.get("Namespace"):
        context["namespace"] = top["Namespace"]
    if kind == "Pod" and top.get("Node") and top["Node"] != "<none>":
        context["node"] = top["Node"].split("/", 1)[0]
    if kind == "PersistentVolumeClaim":
        for key, fact in (("StorageClass", "storage_class"), ("Access Modes", "access_modes"), ("Status", "status")):
            if top.get(key):
                context[fact] = top[key]
    containers = _container_facts(block) if kind == "Pod" else {}
    only = next(iter(containers.values())) if len(containers) == 1 else {}
    inside = {}
    for first, last, cname in _container_spans(block) if containers else []:
        for offset in range(first, last):
            inside[start + offset] = cname
    # one pair of dicts per container (and one for the rest), shared by its lines: readers copy them
    shared: dict[str | None, tuple[dict, dict]] = {}
    for cname, own in [(None, only), *containers.items()]:
        shared[cname] = (
            {**identity, **({"container": own["container"]} if own else {})},
            {**context, **{k: v for k, v in own.items() if k != "container"}},
        )
    for index in range(start, end):
        blocks.identity[index], blocks.context[index] = shared[inside.get(index)]


# --- kubectl get ---------------------------------------------------------------------


def _columns(header: str) -> list[tuple[int, str]]:
    """(start, name) of each column; names may hold one space ('ACCESS MODES', 'LAST SEEN')."""
    return [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", header)]


def _is_header(line: str) -> bool:
    if not line.startswith(("NAME ", "NAMESPACE ")):
        return False
    return line.upper() == line and "  " in line


def _read_table(lines: list[str], start: int, prompts: set[int], resource: str | None, blocks: PasteBlocks) -> int:
    columns = _columns(lines[start])
    names = {name for _, name in columns}
    kind = _kind_of(resource)
    if kind is None:
        kind = next((k for needed, k in HEADER_KINDS if needed <= names), None)
    starts = [s for s, _ in columns]
    i = start + 1
    while i < len(lines) and not _is_prompt_or_blank(lines[i], prompts, i) and not _is_header(lines[i]):
        row = lines[i]
        values = {}
        for n, (pos, name) in enumerate(columns):
            end = starts[n + 1] if n + 1 < len(columns) else len(row)
            values[name] = row[pos:end].strip()
        identity: dict = {}
        context: dict = {"object_kind": kind} if kind else {}
        name = values.get("NAME", "").split("/")[-1]
        if name and kind in NAME_FACT:
            identity[NAME_FACT[kind]] = name
        if values.get("NAMESPACE"):
            context["namespace"] = values["NAMESPACE"]
        if kind == "PersistentVolumeClaim" and values.get("STORAGECLASS"):
            context["storage_class"] = values["STORAGECLASS"]
        blocks.identity[i] = identity
        blocks.context[i] = context
        i += 1
    return i


# --- listeners ------------------------------------------------------------------------


def _listener(line: str) -> tuple[str, str] | None:
    m = SS_ROW.search(line) or NETSTAT_ROW.match(line) or LSOF_ROW.match(line)
    if not m:
        return None
    proc, pid = m.group("proc"), m.group("pid")
    owner = f"{proc} (pid {pid})" if proc and pid else (proc or "another process")
    return m.group("port"), owner


def read_blocks(lines: list[str], commands: dict[int, dict]) -> PasteBlocks:
    """Facts per physical line from describe blocks, get tables and socket listings.

    ``commands`` maps the index of each prompt line to the facts of its command.
    """
    blocks = PasteBlocks()
    listeners: dict[str, str] = {}
    assigned: set[tuple[str, str, str]] = set()
    prompts = set(commands)
    resource = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if i in commands:
            resource = commands[i].get("kubectl_resource")
            i += 1
            continue
        if line.startswith("Name") and line.startswith("Name:"):
            end = _describe_block(lines, i, prompts)
            _read_describe(lines, i, end, resource, blocks)
            i = end
            continue
        if line.startswith("NAME") and _is_header(line):
            i = _read_table(lines, i, prompts, resource, blocks)
            continue
        if "LISTEN" in line:
            found = _listener(line)
            if found:
                listeners.setdefault(*found)
        elif "Successfully assigned" in line and (m := ASSIGNED.search(line)):
            assigned.add((m.group("namespace"), m.group("pod"), m.group("node")))
        i += 1
    if listeners:
        blocks.paste["listeners"] = listeners
    if len(assigned) == 1:  # one pod scheduled in the paste: its node and namespace hold for every line
        ((namespace, _pod, node),) = assigned
        blocks.paste.update(node=node, namespace=namespace)
    _share_equal(blocks.identity, blocks.context)
    return blocks


def _share_equal(*tables: dict[int, dict]) -> None:
    """Make lines with equal facts share one dict (a paste repeats its blocks), so later steps can memoise by id."""
    canonical: dict[frozenset, dict] = {}
    by_id: dict[int, tuple[dict, dict]] = {}  # lines of one block already share dicts: look each up once
    for table in tables:
        for index, facts in table.items():
            known = by_id.get(id(facts))
            if known is None:
                known = by_id[id(facts)] = (facts, canonical.setdefault(frozenset(facts.items()), facts))
            table[index] = known[1]
