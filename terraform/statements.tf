# The policies' tables of statements, from variables and a few locals only (no resource, no
# data source): TerraformIT evaluates this file with a real terraform when one is installed.
locals {
  # the tag zoneguard puts on what it creates; its value is the cluster's name
  tag_key   = "zoneguard.io/cluster"
  snapshots = "arn:${local.partition}:ec2:*::snapshot/*"
  volumes   = "arn:${local.partition}:ec2:*:*:volume/*"

  # EC2 mutations scoped by one tag whose value must be the cluster's name: on the request
  # (aws:RequestTag: what zoneguard creates carries it) or on the resource (aws:ResourceTag: it
  # acts only on its own). One statement each; `enabled` leaves out the optional ones.
  tag_scoped = {
    CreateTaggedSnapshots = {
      enabled = true, action = "ec2:CreateSnapshot", resource = local.snapshots
      tag     = "aws:RequestTag/${local.tag_key}"
    }
    CreateTaggedVolumes = {
      enabled = true, action = "ec2:CreateVolume", resource = local.volumes
      tag     = "aws:RequestTag/${local.tag_key}"
    }
    # volumes are created only from zoneguard's snapshots of this cluster
    UseOwnSnapshots = {
      enabled = true, action = "ec2:CreateVolume", resource = local.snapshots
      tag     = "aws:ResourceTag/${local.tag_key}"
    }
    RetentionDeletesOwnSnapshots = {
      enabled = true, action = "ec2:DeleteSnapshot", resource = local.snapshots
      tag     = "aws:ResourceTag/${local.tag_key}"
    }
    # Fast Snapshot Restore (schedules' fastRestore, backup run --fast-restore-zones): on and
    # off only on the cluster's own snapshots; what it costs is decided by zoneguard's config
    FastRestoreOnOwnSnapshots = {
      enabled = true, action = "ec2:EnableFastSnapshotRestores", resource = local.snapshots
      tag     = "aws:ResourceTag/${local.tag_key}"
    }
    FastRestoreOffOnOwnSnapshots = {
      enabled = true, action = "ec2:DisableFastSnapshotRestores", resource = local.snapshots
      tag     = "aws:ResourceTag/${local.tag_key}"
    }
    # DR copies (CopySnapshot runs in the DR region): only of own snapshots, only tagged copies
    DrCopyOwnSnapshots = {
      enabled = var.dr_region != "", action = "ec2:CopySnapshot", resource = local.snapshots
      tag     = "aws:ResourceTag/${local.tag_key}"
    }
    DrCopiesTagged = {
      enabled  = var.dr_region != "", action = "ec2:CopySnapshot"
      resource = "arn:${local.partition}:ec2:${var.dr_region}::snapshot/*"
      tag      = "aws:RequestTag/${local.tag_key}"
    }
    # `failover apply --fence stop-instances` stops the lost zone's nodes. Opt-in: it is the one
    # thing zoneguard does to nodes, and only to the cluster's own (EKS tags managed node
    # groups' instances eks:cluster-name; Karpenter's: set node_cluster_tag_key).
    FenceStopClusterInstances = {
      enabled  = var.allow_stop_instances, action = "ec2:StopInstances"
      resource = "arn:${local.partition}:ec2:*:*:instance/*"
      tag      = "aws:ResourceTag/${var.node_cluster_tag_key}"
    }
  }
  tag_scoped_enabled = { for sid, s in local.tag_scoped : sid => s if s.enabled }
}

locals {
  # Denials for everyone: sid => actions and conditions (all must hold).
  bucket_denials = {
    DenyInsecureTransport = {
      actions    = ["s3:*"]
      conditions = [{ test = "Bool", variable = "aws:SecureTransport", values = ["false"] }]
    }
    DenyTlsBelow12 = {
      actions    = ["s3:*"]
      conditions = [{ test = "NumericLessThan", variable = "s3:TlsVersion", values = ["1.2"] }]
    }
    # Uploads without an encryption header get the bucket's default (SSE-KMS with the key
    # above); zoneguard sends none when it has no kmsKeyId. An upload that does send one must
    # not choose a weaker or foreign encryption. The Null conditions make these apply only when
    # the header is present (StringNotEquals alone is also true when it is absent).
    DenyForeignEncryption = {
      actions = ["s3:PutObject"]
      conditions = [
        { test = "Null", variable = "s3:x-amz-server-side-encryption", values = ["false"] },
        { test = "StringNotEquals", variable = "s3:x-amz-server-side-encryption", values = ["aws:kms"] },
      ]
    }
    DenyForeignKmsKey = {
      actions = ["s3:PutObject"]
      conditions = [
        { test = "Null", variable = "s3:x-amz-server-side-encryption-aws-kms-key-id", values = ["false"] },
        {
          test   = "StringNotEquals", variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
          values = [local.backups_key_arn]
        },
      ]
    }
    # aws:kms without a key id means the AWS-managed aws/s3 key, not the bucket's
    DenyAwsManagedKey = {
      actions = ["s3:PutObject"]
      conditions = [
        { test = "StringEquals", variable = "s3:x-amz-server-side-encryption", values = ["aws:kms"] },
        { test = "Null", variable = "s3:x-amz-server-side-encryption-aws-kms-key-id", values = ["true"] },
      ]
    }
  }
}
