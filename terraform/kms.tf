# The key of the dumps (SSE-KMS default encryption of the bucket). Deleting it makes every kept
# backup unreadable once the waiting period ends, so `terraform destroy` must not reach it:
# runbooks/install.md "Back out" says how to remove only the role and policy.
resource "aws_kms_key" "backups" {
  description             = "zoneguard backups of ${var.cluster_name}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = var.tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "backups" {
  name          = "alias/${local.name_prefix}-backups"
  target_key_id = aws_kms_key.backups.key_id
}

locals {
  # the one key uploads may name (bucket_denials); a local so statements.tf stays resource-free
  backups_key_arn = aws_kms_key.backups.arn
}
