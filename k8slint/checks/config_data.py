"""What the API server refuses in a ConfigMap's or Secret's data that the schema cannot say.

``ValidateConfigMap`` and ``ValidateSecret`` (pkg/apis/core/validation/validation.go)
and the JSON decoding of ``[]byte`` fields (base64) that runs before them.
A Secret's ``stringData`` is merged into ``data`` before validation.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from k8slint.access import mapping
from k8slint.documents import child_path
from k8slint.findings import Hit
from k8slint.kube.formats import config_key_error
from k8slint.placeholders import has_placeholder

if TYPE_CHECKING:
    from k8slint.checks import Hits
    from k8slint.kube.model import K8sObject
    from k8slint.registry import Context

MAX_SIZE = 1024 * 1024  # core.MaxSecretSize, also the ConfigMap limit
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
# Secret type -> keys one of which must be present (all of them for tls)
JSON_KEYS = {"kubernetes.io/dockercfg": ".dockercfg", "kubernetes.io/dockerconfigjson": ".dockerconfigjson"}


def _base64_size(text: str) -> int | None:
    """The decoded length of standard, padded base64 (Go's ``encoding/json`` ignores CR and LF), else None."""
    text = text.replace("\n", "").replace("\r", "")
    if not _BASE64.fullmatch(text):
        return None
    return len(text) // 4 * 3 - text.count("=")


def config_data_invalid(obj: K8sObject, ctx: Context) -> Hits:
    if obj.api_version != "v1" or obj.kind not in ("ConfigMap", "Secret"):
        return
    text_field, bytes_field = ("data", "binaryData") if obj.kind == "ConfigMap" else ("stringData", "data")
    texts, encoded = mapping(obj.data, text_field), mapping(obj.data, bytes_field)
    for field, entries in ((text_field, texts), (bytes_field, encoded)):
        for key in entries:
            if isinstance(key, str) and not has_placeholder(key) and config_key_error(key):
                yield Hit(
                    child_path(field, key),
                    f'{field}[{key}]: Invalid value: "{key}": {config_key_error(key)} (Validate{obj.kind})',
                    on_key=True,
                )
    if obj.kind == "ConfigMap":
        for key in texts:
            if key in encoded:
                yield Hit(
                    child_path("data", key),
                    f'data[{key}]: Invalid value: "{key}": duplicate of key present in binaryData (ValidateConfigMap)',
                    on_key=True,
                )
    sizes = {}
    for key, value in encoded.items():
        if not isinstance(value, str) or has_placeholder(value):
            continue
        sizes[key] = _base64_size(value)
        if sizes[key] is None:
            yield Hit(
                child_path(bytes_field, key),
                f"{bytes_field}[{key}] is not valid base64, so the API server cannot decode the {obj.kind} "
                f'("illegal base64 data"); encode the value with base64, or move it to {text_field} as plain text',
            )
    sizes.update({key: len(value.encode()) for key, value in texts.items() if isinstance(value, str)})
    total = sum(size or 0 for size in sizes.values())
    if total > MAX_SIZE:
        yield Hit(
            bytes_field if obj.kind == "Secret" else "data" if texts else "binaryData",
            f"{'data' if obj.kind == 'Secret' else '<object>'}: Too long: may not be more than {MAX_SIZE} bytes "
            f"(Validate{obj.kind}: its data holds {total} bytes); split it or mount the content another way",
            on_key=True,
        )
    if obj.kind == "Secret" and not obj.role.partial:
        yield from _secret_type(obj, texts, encoded)


def _secret_type(obj: K8sObject, texts: dict, encoded: dict) -> Hits:
    kind = obj.data.get("type")
    keys = set(texts) | set(encoded)
    where = "type"
    if kind == "kubernetes.io/service-account-token":
        if not obj.annotations.get("kubernetes.io/service-account.name"):
            yield Hit(
                "metadata",
                "metadata.annotations[kubernetes.io/service-account.name]: Required value (ValidateSecret: a "
                "service-account-token Secret names its ServiceAccount)",
                on_key=True,
            )
    elif kind in JSON_KEYS:
        key = JSON_KEYS[kind]
        if key not in keys:
            yield Hit(where, f"data[{key}]: Required value (ValidateSecret: a {kind} Secret holds {key})")
        else:
            yield from _json_object(key, texts, encoded)
    elif kind == "kubernetes.io/basic-auth" and not keys & {"username", "password"}:
        yield Hit(where, "data[username], data[password]: Required value (ValidateSecret: a basic-auth Secret holds "
                  "username or password)")  # fmt: skip
    elif kind == "kubernetes.io/ssh-auth" and not _non_empty("ssh-privatekey", texts, encoded):
        yield Hit(
            where, "data[ssh-privatekey]: Required value (ValidateSecret: an ssh-auth Secret holds ssh-privatekey)"
        )
    elif kind == "kubernetes.io/tls":
        for key in ("tls.crt", "tls.key"):
            if key not in keys:
                yield Hit(where, f"data[{key}]: Required value (ValidateSecret: a kubernetes.io/tls Secret holds "
                          "tls.crt and tls.key; they may be empty)")  # fmt: skip


def _decoded(key: str, texts: dict, encoded: dict) -> str | None:
    """The text of a Secret entry (stringData wins over data), None when unknown (a placeholder, not base64)."""
    import base64

    if key in texts:
        value = texts[key]
        return value if isinstance(value, str) and not has_placeholder(value) else None
    value = encoded.get(key)
    if not isinstance(value, str) or has_placeholder(value) or _base64_size(value) is None:
        return None
    return base64.b64decode(value.replace("\n", "").replace("\r", "")).decode("utf-8", "replace")


def _non_empty(key: str, texts: dict, encoded: dict) -> bool:
    value = texts.get(key, encoded.get(key))
    return value not in (None, "")


def _json_object(key: str, texts: dict, encoded: dict) -> Hits:
    text = _decoded(key, texts, encoded)
    if text is None:
        return
    field = "stringData" if key in texts else "data"
    try:
        value = json.loads(text)
    except ValueError as err:
        reason = f"not JSON ({err.msg})"
    else:
        if value is None or isinstance(value, dict):
            return
        reason = f"JSON {type(value).__name__}, not an object"
    yield Hit(
        child_path(field, key),
        f'data[{key}]: Invalid value: "<secret contents redacted>": {reason} (ValidateSecret); it must hold a '
        "docker config JSON object",
    )
