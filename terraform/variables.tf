variable "name" {
  description = "Name prefix for the IAM role, policy, KMS alias and (by default) the bucket."
  type        = string
  default     = "zoneguard"
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 characters of lowercase letters, digits and '-'."
  }
}

variable "cluster_name" {
  description = "The EKS cluster's name as zoneguard's 'cluster' setting: EC2 mutations are allowed only on resources tagged zoneguard.io/cluster with this value."
  type        = string
  validation {
    condition     = length(var.cluster_name) > 0 && length(var.cluster_name) <= 100
    error_message = "cluster_name must be 1-100 characters."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (aws_iam_openid_connect_provider), for IRSA."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN."
  }
}

variable "oidc_issuer" {
  description = "The cluster's OIDC issuer without https://, e.g. oidc.eks.us-east-1.amazonaws.com/id/ABC123."
  type        = string
  validation {
    condition     = !startswith(var.oidc_issuer, "https://")
    error_message = "oidc_issuer must not start with https://."
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
  description = "S3 bucket for dumps and manifests; empty: '<name>-backups-<account id>'."
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
  description = "Days to keep noncurrent object versions (versioning protects against overwrites)."
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
  description = "Customer-managed KMS keys that encrypt the cluster's EBS volumes: zoneguard needs grants on them to create volumes from encrypted snapshots. Empty when volumes use the AWS-managed aws/ebs key."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every resource this module creates."
  type        = map(string)
  default     = {}
}
