output "role_arn" {
  description = "Annotate zoneguard's ServiceAccount with it: helm --set serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=<this>."
  value       = aws_iam_role.zoneguard.arn
}

output "bucket" {
  description = "The backup bucket: the chart's config.bucket."
  value       = aws_s3_bucket.backups.bucket
}

output "kms_key_arn" {
  description = "The backups' KMS key: the chart's config.kmsKeyId."
  value       = aws_kms_key.backups.arn
}

output "policy_json" {
  description = "The IAM policy zoneguard gets, for review."
  value       = data.aws_iam_policy_document.zoneguard.json
}
