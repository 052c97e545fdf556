"""The one YAML layer: nothing else in k8slint imports a YAML library.

``reading`` composes streams with libyaml and builds plain data in the two
scalar dialects (Kubernetes YAML 1.1, Compose YAML 1.2); ``positions`` finds
nodes, spans and exact extents by dotted path; ``writing`` renders scalars and
runs ruamel.yaml's round trip for ``fix``. This module is their interface.
"""

from k8slint.yamlio.positions import (
    Extent,
    NodeEntry,
    find_node,
    locate_entry,
    node_span,
    path_parts,
    split_path,
    tagged_paths,
)
from k8slint.yamlio.reading import (
    Issue,
    ParsedDocument,
    Stream,
    YamlError,
    document_roots,
    load_data,
    parse_stream,
    read_scalar,
    rebuild,
)
from k8slint.yamlio.writing import (
    Indent,
    detect_indent,
    dump_round_trip,
    load_round_trip,
    round_trip_value,
    scalar_text,
)

__all__ = [
    "Extent",
    "Indent",
    "Issue",
    "NodeEntry",
    "ParsedDocument",
    "Stream",
    "YamlError",
    "detect_indent",
    "document_roots",
    "dump_round_trip",
    "find_node",
    "load_data",
    "load_round_trip",
    "locate_entry",
    "node_span",
    "parse_stream",
    "path_parts",
    "read_scalar",
    "rebuild",
    "round_trip_value",
    "scalar_text",
    "split_path",
    "tagged_paths",
]
