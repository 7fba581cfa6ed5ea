output "role_arn" {
  description = "zoneguard's IAM role. With IRSA annotate the ServiceAccount with it: helm --set serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=<this>; Pod Identity needs no annotation."
  value       = aws_iam_role.zoneguard.arn
}

output "bucket" {
  description = "The backup bucket: the chart's config.bucket."
  value       = aws_s3_bucket.backups.bucket
}

output "kms_key_arn" {
  description = "The backups' KMS key: the chart's config.kmsKeyId (the ARN: the bucket policy compares it as sent)."
  value       = aws_kms_key.backups.arn
}

output "name_prefix" {
  description = "The prefix of every name this module gave."
  value       = local.name_prefix
}

output "policy_json" {
  description = "The IAM policy zoneguard gets, for review."
  value       = data.aws_iam_policy_document.zoneguard.json
}
