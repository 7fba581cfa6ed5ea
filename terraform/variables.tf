variable "cluster_name" {
  description = "The EKS cluster's name, as zoneguard's 'cluster' setting: EC2 mutations are allowed only on resources tagged zoneguard.io/cluster with this value, and the Pod Identity association is made in this cluster."
  type        = string
  validation {
    condition     = can(regex("^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be an EKS cluster name: 1-100 letters, digits, '-' and '_', starting with a letter or digit."
  }
}

variable "name_prefix" {
  description = "Start of every name this module gives (IAM role and policy, KMS alias, default bucket). Empty: 'zoneguard-<cluster_name>', shortened with a hash when longer than 42 characters. Set 'zoneguard' to keep the names of installs made before the prefix existed."
  type        = string
  default     = ""
  validation {
    condition     = var.name_prefix == "" || can(regex("^[a-z0-9][a-z0-9-]{1,41}$", var.name_prefix))
    error_message = "name_prefix must be 2-42 characters of lowercase letters, digits and '-' (it starts the bucket name, '<name_prefix>-backups-<account id>')."
  }
}

variable "credentials" {
  description = "How zoneguard's pods get AWS credentials: \"irsa\" (IAM roles for service accounts: needs oidc_provider_arn, the chart annotates the ServiceAccount with role_arn), \"pod_identity\" (EKS Pod Identity: needs the eks-pod-identity-agent add-on; this module creates the association) or \"both\" (e.g. while moving from one to the other)."
  type        = string
  default     = "irsa"
  validation {
    condition     = contains(["irsa", "pod_identity", "both"], var.credentials)
    error_message = "credentials must be \"irsa\", \"pod_identity\" or \"both\"."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (aws iam list-open-id-connect-providers), for credentials = \"irsa\" or \"both\"; the issuer is taken from it."
  type        = string
  default     = ""
  validation {
    condition = (
      var.oidc_provider_arn == ""
      ? var.credentials == "pod_identity"
      : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/[^/]+/.+$", var.oidc_provider_arn))
    )
    error_message = "oidc_provider_arn is required with credentials = \"irsa\" or \"both\" and must look like arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id> (aws iam list-open-id-connect-providers); or set credentials = \"pod_identity\"."
  }
}

variable "service_account_namespace" {
  description = "Namespace of the Helm release (the ServiceAccount zoneguard runs as)."
  type        = string
  default     = "zoneguard"
}

variable "service_account_name" {
  description = "Name of zoneguard's ServiceAccount (the chart's default is the release's full name)."
  type        = string
  default     = "zoneguard"
}

variable "bucket_name" {
  description = "S3 bucket for dumps and manifests; empty: '<name_prefix>-backups-<account id>'."
  type        = string
  default     = ""
  validation {
    condition     = var.bucket_name == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name."
  }
}

variable "prefix" {
  description = "Key prefix zoneguard writes under (its store.prefix); the policy allows only this prefix."
  type        = string
  default     = "zoneguard"
}

variable "object_lock_days" {
  description = "Enable S3 Object Lock (governance mode) with this default retention in days; 0 disables it. Must be set when the bucket is created."
  type        = number
  default     = 0
  validation {
    condition     = var.object_lock_days >= 0 && var.object_lock_days <= 3650
    error_message = "object_lock_days must be between 0 and 3650."
  }
}

variable "noncurrent_version_days" {
  description = "Days to keep noncurrent object versions (versioning protects against overwrites); delete markers left alone after that are removed too."
  type        = number
  default     = 30
  validation {
    condition     = var.noncurrent_version_days >= 1
    error_message = "noncurrent_version_days must be at least 1."
  }
}

variable "dr_region" {
  description = "Region zoneguard copies snapshots to (its aws.drRegion); empty: no DR copies and no CopySnapshot permission."
  type        = string
  default     = ""
  validation {
    condition     = var.dr_region == "" || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.dr_region))
    error_message = "dr_region must be a region name such as us-west-2."
  }
}

variable "ebs_kms_key_arns" {
  description = "Customer-managed KMS keys that encrypt the cluster's EBS volumes (and the DR region's key for copies): EBS uses them for zoneguard to create volumes from encrypted snapshots. Empty when volumes use the AWS-managed aws/ebs key."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for k in var.ebs_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", k))])
    error_message = "ebs_kms_key_arns must hold KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>), not aliases."
  }
}

variable "allow_stop_instances" {
  description = "Allow ec2:StopInstances on the cluster's nodes (instances tagged node_cluster_tag_key = cluster_name), for `failover apply --fence stop-instances`. Off: zoneguard can only verify that the lost zone's nodes are down."
  type        = bool
  default     = false
}

variable "node_cluster_tag_key" {
  description = "Tag whose value is cluster_name on the cluster's node instances, for allow_stop_instances: eks:cluster-name on managed node groups, eks:eks-cluster-name on Karpenter's nodes."
  type        = string
  default     = "eks:cluster-name"
  validation {
    condition     = length(var.node_cluster_tag_key) > 0
    error_message = "node_cluster_tag_key must not be empty."
  }
}

variable "tags" {
  description = "Tags for every resource this module creates."
  type        = map(string)
  default     = {}
}
