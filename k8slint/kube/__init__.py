"""Kubernetes knowledge: the API catalog per release, schemas, CRDs, conversions, workloads, selectors, quantities."""
