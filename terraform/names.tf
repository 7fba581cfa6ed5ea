# Names and credential choices, from variables only (and local.account_id): TerraformIT evaluates
# this file with a real terraform when one is installed.
locals {
  # Every name this module gives starts with name_prefix, so two clusters (or two installs) in one
  # account never collide. The longest name built from it is the default bucket,
  # "<prefix>-backups-<12-digit account>", which must fit S3's 63 characters: a derived prefix
  # longer than 42 is cut and made unique again with a hash of the full cluster name. S3 wants
  # lowercase without '_', which EKS cluster names may contain.
  derived_prefix = "zoneguard-${replace(lower(var.cluster_name), "_", "-")}"
  name_prefix = var.name_prefix != "" ? var.name_prefix : (
    length(local.derived_prefix) <= 42
    ? local.derived_prefix
    : "${substr(local.derived_prefix, 0, 33)}-${substr(sha1(var.cluster_name), 0, 8)}"
  )
  bucket = var.bucket_name != "" ? var.bucket_name : "${local.name_prefix}-backups-${local.account_id}"

  irsa         = contains(["irsa", "both"], var.credentials)
  pod_identity = contains(["pod_identity", "both"], var.credentials)
  # An OIDC provider's ARN ends with its issuer without https://
  # (arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>), which is the
  # prefix of the trust policy's condition keys: one input instead of two that can disagree.
  oidc_issuer = local.irsa ? split(":oidc-provider/", var.oidc_provider_arn)[1] : ""
}
