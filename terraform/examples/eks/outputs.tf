output "role_arn" {
  description = "zoneguard's IAM role (the ServiceAccount annotation with IRSA)."
  value       = module.zoneguard.role_arn
}

output "bucket" {
  description = "The chart's config.bucket."
  value       = module.zoneguard.bucket
}

output "kms_key_arn" {
  description = "The chart's config.kmsKeyId."
  value       = module.zoneguard.kms_key_arn
}
