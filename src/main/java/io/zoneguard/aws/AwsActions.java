package io.zoneguard.aws;

import java.util.List;

/**
 * Every AWS API action zoneguard's code calls, as IAM names, with the reason: the list the
 * Terraform module's IAM policy is checked against (TerraformIT), and that the integration tests
 * check the EC2 calls seen by their proxy against. S3 multipart calls map to s3:PutObject,
 * ListObjectsV2 to s3:ListBucket, as IAM defines them.
 */
public final class AwsActions {
  private AwsActions() {}

  /** One IAM action and why zoneguard needs it. */
  public record Action(String iam, String api, String why) {}

  public static final List<Action> EC2 =
      List.of(
          new Action(
              "ec2:DescribeAvailabilityZones",
              "DescribeAvailabilityZones",
              "validate zones and judge their health"),
          new Action("ec2:DescribeVolumes", "DescribeVolumes", "inventory, waiters, find by tag"),
          new Action("ec2:DescribeSnapshots", "DescribeSnapshots", "find and wait for snapshots"),
          new Action(
              "ec2:DescribeFastSnapshotRestores",
              "DescribeFastSnapshotRestores",
              "--fast-restore: which snapshots restore instantly in which zones"),
          new Action(
              "ec2:DescribeInstances", "DescribeInstances", "fencing: map nodes to instances"),
          new Action(
              "ec2:DescribeInstanceStatus",
              "DescribeInstanceStatus",
              "fencing: instance reachability checks"),
          new Action(
              "ec2:StopInstances",
              "StopInstances",
              "fencing with --fence stop-instances only (Terraform: allow_stop_instances)"),
          new Action("ec2:CreateSnapshot", "CreateSnapshot", "backups, failback"),
          new Action("ec2:CreateVolume", "CreateVolume", "failover, failback, drills"),
          new Action("ec2:CreateTags", "CreateTags", "tag-on-create of snapshots and volumes"),
          new Action("ec2:CopySnapshot", "CopySnapshot", "cross-region DR copies"),
          new Action("ec2:DeleteSnapshot", "DeleteSnapshot", "retention (never the newest set)"),
          new Action("ec2:DeleteVolume", "DeleteVolume", "drill cleanup (drill-tagged only)"),
          new Action(
              "ec2:EnableFastSnapshotRestores",
              "EnableFastSnapshotRestores",
              "fastRestore zones: FSR on the newest set's snapshots (own snapshots only)"),
          new Action(
              "ec2:DisableFastSnapshotRestores",
              "DisableFastSnapshotRestores",
              "fastRestore zones: FSR off on older sets' snapshots (own snapshots only)"));

  public static final List<Action> S3 =
      List.of(
          new Action("s3:PutObject", "PutObject, multipart upload", "dumps and manifests"),
          new Action("s3:GetObject", "GetObject", "restores, drills, manifests"),
          new Action("s3:DeleteObject", "DeleteObject", "retention, failed uploads"),
          new Action("s3:AbortMultipartUpload", "AbortMultipartUpload", "failed dumps"),
          new Action("s3:ListBucket", "ListObjectsV2", "list backup sets"));

  /**
   * On the backups' key (terraform: aws_kms_key.backups): S3 calls KMS with zoneguard's identity
   * for SSE-KMS objects, so these are needed although the code never calls KMS itself.
   */
  public static final List<Action> KMS_BACKUP_KEY =
      List.of(
          new Action(
              "kms:GenerateDataKey", "(S3) PutObject, CreateMultipartUpload", "encrypt dumps"),
          new Action("kms:Decrypt", "(S3) GetObject, UploadPart", "read dumps, multipart uploads"));

  /**
   * Grants on customer-managed EBS keys: EBS creates them for zoneguard when it creates a volume
   * from an encrypted snapshot (failover, drills) or copies one (DR). Only with the condition
   * kms:GrantIsForAWSResource, which exists on grant operations alone (EKS user guide,
   * csi-iam-role.html, the EBS CSI driver's KMS policy).
   */
  public static final List<Action> KMS_EBS_GRANTS =
      List.of(
          new Action("kms:CreateGrant", "(EBS) CreateVolume, CopySnapshot", "EBS uses the key"),
          new Action("kms:ListGrants", "(EBS) CreateVolume, CopySnapshot", "EBS reuses grants"),
          new Action("kms:RevokeGrant", "(EBS) DeleteVolume", "EBS retires its grant"));

  /**
   * Use of customer-managed EBS keys, without the grant condition: that condition key exists only
   * in grant requests, so on these it never matches and EBS's calls would be denied. The CSI
   * driver's policy says ReEncrypt* and GenerateDataKey*; spelled out here so the policy holds no
   * wildcard.
   */
  public static final List<Action> KMS_EBS_USE =
      List.of(
          new Action("kms:Encrypt", "(EBS) CopySnapshot", "re-encrypt DR copies"),
          new Action("kms:Decrypt", "(EBS) CreateVolume, CopySnapshot", "read encrypted snapshots"),
          new Action("kms:ReEncryptFrom", "(EBS) CreateVolume, CopySnapshot", "change of key"),
          new Action("kms:ReEncryptTo", "(EBS) CreateVolume, CopySnapshot", "change of key"),
          new Action("kms:GenerateDataKey", "(EBS) CopySnapshot", "data key of DR copies"),
          new Action(
              "kms:GenerateDataKeyWithoutPlaintext", "(EBS) CreateVolume", "data key of volumes"),
          new Action("kms:DescribeKey", "(EBS) CreateVolume, CopySnapshot", "resolve the key"));

  /** The EC2 API names (as in the Action= query parameter). */
  public static List<String> ec2ApiNames() {
    return EC2.stream().filter(a -> !a.api().equals("CreateTags")).map(Action::api).toList();
  }
}
