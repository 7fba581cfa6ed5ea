# zoneguard's AWS side for one EKS cluster: the module in ../.. with the OIDC provider looked up
# from the cluster, so terraform.tfvars needs only the region, the cluster and the choices.
provider "aws" {
  region = var.region
  default_tags {
    tags = var.tags
  }
}

data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

data "aws_iam_openid_connect_provider" "cluster" {
  count = var.credentials == "pod_identity" ? 0 : 1
  url   = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
}

module "zoneguard" {
  source = "../.."

  cluster_name              = var.cluster_name
  name_prefix               = var.name_prefix
  credentials               = var.credentials
  oidc_provider_arn         = var.credentials == "pod_identity" ? "" : data.aws_iam_openid_connect_provider.cluster[0].arn
  service_account_namespace = var.service_account_namespace
  service_account_name      = var.service_account_name
  object_lock_days          = var.object_lock_days
  dr_region                 = var.dr_region
  ebs_kms_key_arns          = var.ebs_kms_key_arns
  allow_stop_instances      = var.allow_stop_instances
}
