"""Hand-kept facts that the JSON schemas do not carry: scope and short names.

Read by ``gen_api_resources.py``; not shipped. Every kind the schemas of a
supported version define must appear here, so a new Kubernetes release fails
the generator loudly instead of guessing.

Sources:
  K  = ``kubectl api-resources`` output of a Kubernetes v1.33 kind cluster
       (NAMESPACED and SHORTNAMES columns), the same values the Kubernetes API
       reference lists per resource (https://kubernetes.io/docs/reference/kubernetes-api/).
  R  = the Kubernetes API reference page of the kind, "namespaced" / "cluster"
       scope in the resource's HTTP paths (/namespaces/{namespace}/... or not),
       for kinds newer than the cluster used for K.
  A  = alpha APIs off by default in every release, scope read from the KEP that
       introduced them; no short names.
"""

# (group, kind): (namespaced, short names, source)
FACTS = {
    ("", "Binding"): (True, (), "K"),
    ("", "ComponentStatus"): (False, ("cs",), "K"),
    ("", "ConfigMap"): (True, ("cm",), "K"),
    ("", "Endpoints"): (True, ("ep",), "K"),
    ("", "Event"): (True, ("ev",), "K"),
    ("", "LimitRange"): (True, ("limits",), "K"),
    ("", "Namespace"): (False, ("ns",), "K"),
    ("", "Node"): (False, ("no",), "K"),
    ("", "PersistentVolume"): (False, ("pv",), "K"),
    ("", "PersistentVolumeClaim"): (True, ("pvc",), "K"),
    ("", "Pod"): (True, ("po",), "K"),
    ("", "PodTemplate"): (True, (), "K"),
    ("", "ReplicationController"): (True, ("rc",), "K"),
    ("", "ResourceQuota"): (True, ("quota",), "K"),
    ("", "Secret"): (True, (), "K"),
    ("", "Service"): (True, ("svc",), "K"),
    ("", "ServiceAccount"): (True, ("sa",), "K"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicy"): (False, (), "R"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"): (False, (), "R"),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"): (False, (), "K"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"): (False, (), "K"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"): (False, (), "K"),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"): (False, (), "K"),
    ("apiextensions.k8s.io", "CustomResourceDefinition"): (False, ("crd", "crds"), "K"),
    ("apiregistration.k8s.io", "APIService"): (False, (), "K"),
    ("apps", "ControllerRevision"): (True, (), "K"),
    ("apps", "DaemonSet"): (True, ("ds",), "K"),
    ("apps", "Deployment"): (True, ("deploy",), "K"),
    ("apps", "ReplicaSet"): (True, ("rs",), "K"),
    ("apps", "StatefulSet"): (True, ("sts",), "K"),
    ("authentication.k8s.io", "SelfSubjectReview"): (False, (), "K"),
    ("authentication.k8s.io", "TokenReview"): (False, (), "K"),
    ("authorization.k8s.io", "LocalSubjectAccessReview"): (True, (), "K"),
    ("authorization.k8s.io", "SelfSubjectAccessReview"): (False, (), "K"),
    ("authorization.k8s.io", "SelfSubjectRulesReview"): (False, (), "K"),
    ("authorization.k8s.io", "SubjectAccessReview"): (False, (), "K"),
    ("autoscaling", "HorizontalPodAutoscaler"): (True, ("hpa",), "K"),
    ("batch", "CronJob"): (True, ("cj",), "K"),
    ("batch", "Job"): (True, (), "K"),
    ("certificates.k8s.io", "CertificateSigningRequest"): (False, ("csr",), "K"),
    ("certificates.k8s.io", "ClusterTrustBundle"): (False, (), "R"),
    ("certificates.k8s.io", "PodCertificateRequest"): (True, (), "R"),
    ("coordination.k8s.io", "Lease"): (True, (), "K"),
    ("coordination.k8s.io", "LeaseCandidate"): (True, (), "R"),
    ("discovery.k8s.io", "EndpointSlice"): (True, (), "K"),
    ("events.k8s.io", "Event"): (True, ("ev",), "K"),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema"): (False, (), "K"),
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"): (False, (), "K"),
    ("internal.apiserver.k8s.io", "StorageVersion"): (False, (), "A"),
    ("lifecycle.k8s.io", "EvictionRequest"): (True, (), "A"),
    ("networking.k8s.io", "ClusterCIDR"): (False, (), "A"),
    ("networking.k8s.io", "IPAddress"): (False, ("ip",), "R"),
    ("networking.k8s.io", "Ingress"): (True, ("ing",), "K"),
    ("networking.k8s.io", "IngressClass"): (False, (), "K"),
    ("networking.k8s.io", "NetworkPolicy"): (True, ("netpol",), "K"),
    ("networking.k8s.io", "ServiceCIDR"): (False, (), "R"),
    ("node.k8s.io", "RuntimeClass"): (False, (), "K"),
    ("policy", "PodDisruptionBudget"): (True, ("pdb",), "K"),
    ("rbac.authorization.k8s.io", "ClusterRole"): (False, (), "K"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): (False, (), "K"),
    ("rbac.authorization.k8s.io", "Role"): (True, (), "K"),
    ("rbac.authorization.k8s.io", "RoleBinding"): (True, (), "K"),
    ("resource.k8s.io", "DeviceClass"): (False, (), "R"),
    ("resource.k8s.io", "DeviceTaintRule"): (False, (), "A"),
    ("resource.k8s.io", "PodScheduling"): (True, (), "A"),
    ("resource.k8s.io", "PodSchedulingContext"): (True, (), "A"),
    ("resource.k8s.io", "ResourceClaim"): (True, (), "R"),
    ("resource.k8s.io", "ResourceClaimParameters"): (True, (), "A"),
    ("resource.k8s.io", "ResourceClaimTemplate"): (True, (), "R"),
    ("resource.k8s.io", "ResourceClass"): (False, (), "A"),
    ("resource.k8s.io", "ResourceClassParameters"): (True, (), "A"),
    ("resource.k8s.io", "ResourcePoolStatusRequest"): (False, (), "A"),
    ("resource.k8s.io", "ResourceSlice"): (False, (), "R"),
    ("scheduling.k8s.io", "CompositePodGroup"): (True, (), "A"),
    ("scheduling.k8s.io", "PodGroup"): (True, (), "A"),
    ("scheduling.k8s.io", "PriorityClass"): (False, ("pc",), "K"),
    ("scheduling.k8s.io", "Workload"): (True, (), "A"),
    ("storage.k8s.io", "CSIDriver"): (False, (), "K"),
    ("storage.k8s.io", "CSINode"): (False, (), "K"),
    ("storage.k8s.io", "CSIStorageCapacity"): (True, (), "K"),
    ("storage.k8s.io", "StorageClass"): (False, ("sc",), "K"),
    ("storage.k8s.io", "VolumeAttachment"): (False, (), "K"),
    ("storage.k8s.io", "VolumeAttributesClass"): (False, ("vac",), "K"),
    ("storagemigration.k8s.io", "StorageVersionMigration"): (False, (), "R"),
}

# Kinds the schemas tag with a group/version/kind that are not resources of
# their own: request bodies of subresources (pods/eviction, */scale,
# serviceaccounts/token) and API machinery envelopes. kubectl api-resources
# does not list them.
NOT_RESOURCES = {
    ("autoscaling", "Scale"),
    ("policy", "Eviction"),
    ("lifecycle.k8s.io", "Eviction"),
    ("authentication.k8s.io", "TokenRequest"),
}
NOT_RESOURCE_KINDS = {"APIGroup", "APIVersions", "DeleteOptions", "Status", "WatchEvent"}
