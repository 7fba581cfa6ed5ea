# The backup bucket. The bucket and every protection on it carry prevent_destroy: a destroy would
# otherwise strip encryption, versioning, Object Lock and the policy from the backups it keeps
# (and S3 refuses to delete a bucket that still holds objects anyway).
resource "aws_s3_bucket" "backups" {
  bucket              = local.bucket
  object_lock_enabled = var.object_lock_days > 0
  tags                = var.tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_versioning" "backups" {
  bucket = aws_s3_bucket.backups.id
  versioning_configuration {
    status = "Enabled"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.backups.arn
    }
    bucket_key_enabled = true
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_public_access_block" "backups" {
  bucket                  = aws_s3_bucket.backups.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_ownership_controls" "backups" {
  bucket = aws_s3_bucket.backups.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }

  lifecycle {
    prevent_destroy = true
  }
}

# Object Lock makes S3 require a checksum header on every upload; zoneguard sends one.
resource "aws_s3_bucket_object_lock_configuration" "backups" {
  count  = var.object_lock_days > 0 ? 1 : 0
  bucket = aws_s3_bucket.backups.id
  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = var.object_lock_days
    }
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id
  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"
    filter {}
    # a killed dump leaves its parts behind; zoneguard aborts them itself when it can
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_days
    }
    # retention deletes a set's objects, leaving delete markers; once their noncurrent versions
    # expire the markers are alone and only slow down listings
    expiration {
      expired_object_delete_marker = true
    }
  }
  depends_on = [aws_s3_bucket_versioning.backups]
}

# bucket_denials: statements.tf
data "aws_iam_policy_document" "bucket" {
  dynamic "statement" {
    for_each = local.bucket_denials
    content {
      sid       = statement.key
      effect    = "Deny"
      actions   = statement.value.actions
      resources = [aws_s3_bucket.backups.arn, "${aws_s3_bucket.backups.arn}/*"]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_s3_bucket_policy" "backups" {
  bucket = aws_s3_bucket.backups.id
  policy = data.aws_iam_policy_document.bucket.json

  lifecycle {
    prevent_destroy = true
  }
}
