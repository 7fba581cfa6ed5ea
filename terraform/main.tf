data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  bucket    = var.bucket_name != "" ? var.bucket_name : "${var.name}-backups-${data.aws_caller_identity.current.account_id}"
  partition = data.aws_partition.current.partition
  tag_key   = "zoneguard.io/cluster"
}

# ---- KMS key for the dumps (SSE-KMS default encryption of the bucket) ----
resource "aws_kms_key" "backups" {
  description             = "zoneguard backups of ${var.cluster_name}"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  tags                    = var.tags
}

resource "aws_kms_alias" "backups" {
  name          = "alias/${var.name}-backups"
  target_key_id = aws_kms_key.backups.key_id
}

# ---- the backup bucket ----
resource "aws_s3_bucket" "backups" {
  bucket              = local.bucket
  object_lock_enabled = var.object_lock_days > 0
  tags                = var.tags
}

resource "aws_s3_bucket_versioning" "backups" {
  bucket = aws_s3_bucket.backups.id
  versioning_configuration {
    status = "Enabled"
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
}

resource "aws_s3_bucket_public_access_block" "backups" {
  bucket                  = aws_s3_bucket.backups.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "backups" {
  bucket = aws_s3_bucket.backups.id
  rule {
    object_ownership = "BucketOwnerEnforced"
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
  }
  depends_on = [aws_s3_bucket_versioning.backups]
}

resource "aws_s3_bucket_object_lock_configuration" "backups" {
  count  = var.object_lock_days > 0 ? 1 : 0
  bucket = aws_s3_bucket.backups.id
  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = var.object_lock_days
    }
  }
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.backups.arn, "${aws_s3_bucket.backups.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "backups" {
  bucket = aws_s3_bucket.backups.id
  policy = data.aws_iam_policy_document.tls_only.json
}

# ---- IRSA role ----
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.service_account_namespace}:${var.service_account_name}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "zoneguard" {
  name               = var.name
  description        = "zoneguard (backups, zone failover, drills) in ${var.cluster_name}"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  tags               = var.tags
}

# Exactly the actions the code calls (src/main/java/io/zoneguard/aws/AwsActions.java; checked by
# TerraformIT). Mutations are conditioned on zoneguard's tags where EC2 supports it.
data "aws_iam_policy_document" "zoneguard" {
  statement {
    sid = "Ec2Read"
    # Describe* calls support no resource-level permissions
    actions   = ["ec2:DescribeAvailabilityZones", "ec2:DescribeVolumes", "ec2:DescribeSnapshots"]
    resources = ["*"]
  }

  statement {
    sid = "SnapshotAnyVolume"
    # the source of a backup snapshot is any volume of the cluster (made by the EBS CSI driver)
    actions   = ["ec2:CreateSnapshot"]
    resources = ["arn:${local.partition}:ec2:*:*:volume/*"]
  }

  statement {
    sid       = "CreateTaggedSnapshots"
    actions   = ["ec2:CreateSnapshot"]
    resources = ["arn:${local.partition}:ec2:*::snapshot/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/${local.tag_key}"
      values   = [var.cluster_name]
    }
  }

  statement {
    sid       = "CreateTaggedVolumes"
    actions   = ["ec2:CreateVolume"]
    resources = ["arn:${local.partition}:ec2:*:*:volume/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/${local.tag_key}"
      values   = [var.cluster_name]
    }
  }

  statement {
    sid = "UseOwnSnapshots"
    # volumes are created only from zoneguard's snapshots of this cluster
    actions   = ["ec2:CreateVolume"]
    resources = ["arn:${local.partition}:ec2:*::snapshot/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/${local.tag_key}"
      values   = [var.cluster_name]
    }
  }

  # DR copies (CopySnapshot runs in the DR region): only of own snapshots, only tagged copies
  dynamic "statement" {
    for_each = var.dr_region != "" ? [1] : []
    content {
      sid       = "DrCopyOwnSnapshots"
      actions   = ["ec2:CopySnapshot"]
      resources = ["arn:${local.partition}:ec2:*::snapshot/*"]
      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/${local.tag_key}"
        values   = [var.cluster_name]
      }
    }
  }

  dynamic "statement" {
    for_each = var.dr_region != "" ? [1] : []
    content {
      sid       = "DrCopiesTagged"
      actions   = ["ec2:CopySnapshot"]
      resources = ["arn:${local.partition}:ec2:${var.dr_region}::snapshot/*"]
      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/${local.tag_key}"
        values   = [var.cluster_name]
      }
    }
  }

  statement {
    sid       = "TagOnCreateOnly"
    actions   = ["ec2:CreateTags"]
    resources = ["arn:${local.partition}:ec2:*::snapshot/*", "arn:${local.partition}:ec2:*:*:volume/*"]
    condition {
      test     = "StringEquals"
      variable = "ec2:CreateAction"
      values   = ["CreateSnapshot", "CreateVolume", "CopySnapshot"]
    }
  }

  statement {
    sid       = "RetentionDeletesOwnSnapshots"
    actions   = ["ec2:DeleteSnapshot"]
    resources = ["arn:${local.partition}:ec2:*::snapshot/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/${local.tag_key}"
      values   = [var.cluster_name]
    }
  }

  statement {
    sid       = "DrillsDeleteOwnVolumes"
    actions   = ["ec2:DeleteVolume"]
    resources = ["arn:${local.partition}:ec2:*:*:volume/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/${local.tag_key}"
      values   = [var.cluster_name]
    }
    condition {
      test     = "Null"
      variable = "aws:ResourceTag/zoneguard.io/drill-id"
      values   = ["false"]
    }
  }

  statement {
    sid       = "ListOwnPrefix"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.backups.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.prefix, "${var.prefix}/*"]
    }
  }

  statement {
    sid       = "ObjectsUnderOwnPrefix"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.backups.arn}/${var.prefix}/*"]
  }

  statement {
    sid       = "BackupKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.backups.arn]
  }

  dynamic "statement" {
    for_each = length(var.ebs_kms_key_arns) > 0 ? [1] : []
    content {
      sid = "EbsKeys"
      # creating a volume from an encrypted snapshot: EBS acts on the key for zoneguard
      actions = [
        "kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey",
        "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo",
      ]
      resources = var.ebs_kms_key_arns
      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }
}

resource "aws_iam_policy" "zoneguard" {
  name        = var.name
  description = "Least privilege for zoneguard in ${var.cluster_name}"
  policy      = data.aws_iam_policy_document.zoneguard.json
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "zoneguard" {
  role       = aws_iam_role.zoneguard.name
  policy_arn = aws_iam_policy.zoneguard.arn
}
