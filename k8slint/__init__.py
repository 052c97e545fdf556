"""k8slint: lint Kubernetes and Docker Compose manifests, and explain the errors they cause."""

__version__ = "0.1.0"
