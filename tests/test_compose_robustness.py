"""Malformed compose data never crashes a compose rule: each check either reports or stays silent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8slint.compose.build import Builder
from k8slint.config import Settings
from k8slint.registry import Context, all_rules

KEYS = [
    "services",
    "networks",
    "volumes",
    "configs",
    "secrets",
    "version",
    "include",
    "image",
    "build",
    "ports",
    "expose",
    "depends_on",
    "condition",
    "networks",
    "volumes",
    "healthcheck",
    "test",
    "interval",
    "timeout",
    "deploy",
    "replicas",
    "resources",
    "limits",
    "memory",
    "container_name",
    "environment",
    "env_file",
    "extends",
    "service",
    "file",
    "links",
    "volumes_from",
    "network_mode",
    "external",
    "name",
    "target",
    "published",
    "source",
    "type",
    "restart",
    "scale",
    "mem_limit",
    "shm_size",
    "tmpfs",
    "size",
    "path",
    "required",
    "web",
    "db",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 70000),
    st.sampled_from(
        [
            "web",
            "db",
            "8080:80",
            "a:b:c:d",
            "${X",
            "$Y",
            "service:db",
            "C:\\x:/y",
            "../up:/d",
            "10s",
            "x",
            "",
            "CMD",
            "512m",
            "-1",
            "true",
        ]
    ),
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)),
    max_leaves=30,
)


class _Source:
    display = "compose.yaml"
    path = None

    def read(self):
        return ""


class _Doc:
    source = _Source()
    file = "compose.yaml"

    def __init__(self, data):
        self.data = data


COMPOSE_RULES = [rule for rule in all_rules().values() if rule.scope == "compose"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(KEYS), DATA, max_size=6))
def test_compose_rules_survive_any_shape(data):
    project = Builder({}, load=None).project([_Doc(data)], default_pair=False)
    ctx = Context(Settings())
    for rule in COMPOSE_RULES:
        for hit in rule.check(project, ctx.for_rule(rule)):
            assert hit.message and hit.doc is not None
