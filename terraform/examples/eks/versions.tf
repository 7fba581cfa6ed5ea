# A root module pins what it runs with, so a new major provider cannot change a plan
# unannounced; commit the .terraform.lock.hcl that `terraform init` writes next to this file.
terraform {
  required_version = ">= 1.9, < 2.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}
