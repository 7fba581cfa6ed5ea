# A reusable module: the caller's root pins Terraform and the provider (examples/eks does); the
# module states only the lowest versions it needs, so it does not fight the caller's pins.
# Terraform 1.9: variable validations that refer to other variables (oidc_provider_arn).
terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40"
    }
  }
}
