"""Objects from files given beside the run (``--crd-dir``, ``--policy-dir``): read for what they define, never linted."""

from __future__ import annotations

from k8slint.errors import CatalogError


def given_objects(paths, what: str) -> list:
    """The Kubernetes objects (``K8sObject``) in the files/directories ``paths``, in order.

    Documents that are not mappings are skipped; a path that does not exist or a file that is not YAML is a
    CatalogError (a usage error) naming ``what`` the files are for (``CRD``, ``policy``).
    """
    from k8slint.kube.model import expand_objects
    from k8slint.parse import parse_source
    from k8slint.sources import discover

    found = discover(list(paths), [], None, (), charts=True)
    if found.missing:
        raise CatalogError(f"{what} path {found.missing[0]} does not exist")
    objects = []
    for source in found.sources:
        parsed = parse_source(source)
        for rule_id, line, _column, message in parsed.line_problems:
            if rule_id in ("file-unreadable", "yaml-syntax"):
                raise CatalogError(f"{what} file {source.display}:{line}: {message}")
        for doc in parsed.documents:
            if isinstance(doc.data, dict):
                objects.extend(expand_objects(doc))
                doc.drop_node()
    return objects
