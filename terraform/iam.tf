# ---- who may become zoneguard: IRSA (OIDC web identity), EKS Pod Identity, or both ----
data "aws_iam_policy_document" "trust" {
  dynamic "statement" {
    for_each = local.irsa ? [1] : []
    content {
      sid     = "Irsa"
      actions = ["sts:AssumeRoleWithWebIdentity"]
      principals {
        type        = "Federated"
        identifiers = [var.oidc_provider_arn]
      }
      condition {
        test     = "StringEquals"
        variable = "${local.oidc_issuer}:sub"
        values   = ["system:serviceaccount:${var.service_account_namespace}:${var.service_account_name}"]
      }
      condition {
        test     = "StringEquals"
        variable = "${local.oidc_issuer}:aud"
        values   = ["sts.amazonaws.com"]
      }
    }
  }

  # EKS user guide, pod-id-role.html: the Pod Identity agent assumes the role as
  # pods.eks.amazonaws.com and passes session tags (hence sts:TagSession). The tag conditions
  # keep any other association in the account (another cluster, namespace or ServiceAccount)
  # from using this role; they need the association's session tags, which stay enabled.
  dynamic "statement" {
    for_each = local.pod_identity ? [1] : []
    content {
      sid     = "PodIdentity"
      actions = ["sts:AssumeRole", "sts:TagSession"]
      principals {
        type        = "Service"
        identifiers = ["pods.eks.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/eks-cluster-name"
        values   = [var.cluster_name]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/kubernetes-namespace"
        values   = [var.service_account_namespace]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/kubernetes-service-account"
        values   = [var.service_account_name]
      }
    }
  }
}

resource "aws_iam_role" "zoneguard" {
  name               = local.name_prefix
  description        = "zoneguard (backups, zone failover, drills) in ${var.cluster_name}"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  tags               = var.tags
}

# With Pod Identity the ServiceAccount needs no annotation: the association tells the agent
# which role zoneguard's pods get.
resource "aws_eks_pod_identity_association" "zoneguard" {
  count           = local.pod_identity ? 1 : 0
  cluster_name    = var.cluster_name
  namespace       = var.service_account_namespace
  service_account = var.service_account_name
  role_arn        = aws_iam_role.zoneguard.arn
  tags            = var.tags
}

# ---- what zoneguard may do (tables of statements: statements.tf) ----

# Exactly the actions the code needs (src/main/java/io/zoneguard/aws/AwsActions.java; checked by
# TerraformIT). Mutations are conditioned on tags where EC2 supports it.
data "aws_iam_policy_document" "zoneguard" {
  statement {
    sid = "Ec2Read"
    # Describe* calls support no resource-level permissions
    actions = [
      "ec2:DescribeAvailabilityZones", "ec2:DescribeVolumes", "ec2:DescribeSnapshots",
      "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:DescribeFastSnapshotRestores",
    ]
    resources = ["*"]
  }

  statement {
    sid = "SnapshotAnyVolume"
    # the source of a backup snapshot is any volume of the cluster (made by the EBS CSI driver)
    actions   = ["ec2:CreateSnapshot"]
    resources = [local.volumes]
  }

  dynamic "statement" {
    for_each = local.tag_scoped_enabled
    content {
      sid       = statement.key
      actions   = [statement.value.action]
      resources = [statement.value.resource]
      condition {
        test     = "StringEquals"
        variable = statement.value.tag
        values   = [var.cluster_name]
      }
    }
  }

  statement {
    sid       = "TagOnCreateOnly"
    actions   = ["ec2:CreateTags"]
    resources = [local.snapshots, local.volumes]
    condition {
      test     = "StringEquals"
      variable = "ec2:CreateAction"
      values   = ["CreateSnapshot", "CreateVolume", "CopySnapshot"]
    }
  }

  statement {
    sid       = "DrillsDeleteOwnVolumes"
    actions   = ["ec2:DeleteVolume"]
    resources = [local.volumes]
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

  # Customer-managed EBS keys, shaped like the EBS CSI driver's KMS policy (EKS user guide,
  # csi-iam-role.html): kms:GrantIsForAWSResource exists only on grant operations, so it guards
  # the grants and must not be on the other actions (they would always be denied: CreateVolume
  # and CopySnapshot of encrypted snapshots would fail).
  dynamic "statement" {
    for_each = length(var.ebs_kms_key_arns) > 0 ? [1] : []
    content {
      sid       = "EbsKeyGrantsForAwsResources"
      actions   = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
      resources = var.ebs_kms_key_arns
      condition {
        test     = "Bool"
        variable = "kms:GrantIsForAWSResource"
        values   = ["true"]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.ebs_kms_key_arns) > 0 ? [1] : []
    content {
      sid = "EbsKeyUse"
      # the CSI driver's ReEncrypt* and GenerateDataKey*, spelled out: no wildcard in this policy
      actions = [
        "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
        "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey",
      ]
      resources = var.ebs_kms_key_arns
    }
  }
}

resource "aws_iam_policy" "zoneguard" {
  name        = local.name_prefix
  description = "Least privilege for zoneguard in ${var.cluster_name}"
  policy      = data.aws_iam_policy_document.zoneguard.json
  tags        = var.tags
}

resource "aws_iam_role_policy_attachment" "zoneguard" {
  role       = aws_iam_role.zoneguard.name
  policy_arn = aws_iam_policy.zoneguard.arn
}
