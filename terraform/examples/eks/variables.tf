variable "region" {
  description = "Region of the EKS cluster (zoneguard's aws.region)."
  type        = string
}

variable "cluster_name" {
  description = "The EKS cluster's name (zoneguard's 'cluster' setting)."
  type        = string
}

variable "name_prefix" {
  description = "Start of every name; empty: zoneguard-<cluster_name>. 'zoneguard' keeps the names of installs made with the flat terraform/ root."
  type        = string
  default     = ""
}

variable "credentials" {
  description = "\"irsa\", \"pod_identity\" or \"both\" (see the module's variable)."
  type        = string
  default     = "irsa"
}

variable "service_account_namespace" {
  description = "Namespace of the Helm release."
  type        = string
  default     = "zoneguard"
}

variable "service_account_name" {
  description = "zoneguard's ServiceAccount (the chart's default is the release's full name)."
  type        = string
  default     = "zoneguard"
}

variable "object_lock_days" {
  description = "S3 Object Lock default retention in days; 0: off. Only when the bucket is created."
  type        = number
  default     = 0
}

variable "dr_region" {
  description = "Region for DR snapshot copies; empty: none."
  type        = string
  default     = ""
}

variable "ebs_kms_key_arns" {
  description = "Customer-managed KMS keys of the cluster's EBS volumes."
  type        = list(string)
  default     = []
}

variable "allow_stop_instances" {
  description = "Allow `failover apply --fence stop-instances` to stop the cluster's nodes."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource (provider default_tags)."
  type        = map(string)
  default     = {}
}
