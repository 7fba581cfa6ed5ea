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
          new Action("ec2:CreateSnapshot", "CreateSnapshot", "backups, failback"),
          new Action("ec2:CreateVolume", "CreateVolume", "failover, failback, drills"),
          new Action("ec2:CreateTags", "CreateTags", "tag-on-create of snapshots and volumes"),
          new Action("ec2:CopySnapshot", "CopySnapshot", "cross-region DR copies"),
          new Action("ec2:DeleteSnapshot", "DeleteSnapshot", "retention (never the newest set)"),
          new Action("ec2:DeleteVolume", "DeleteVolume", "drill cleanup (drill-tagged only)"));

  public static final List<Action> S3 =
      List.of(
          new Action("s3:PutObject", "PutObject, multipart upload", "dumps and manifests"),
          new Action("s3:GetObject", "GetObject", "restores, drills, manifests"),
          new Action("s3:DeleteObject", "DeleteObject", "retention, failed uploads"),
          new Action("s3:AbortMultipartUpload", "AbortMultipartUpload", "failed dumps"),
          new Action("s3:ListBucket", "ListObjectsV2", "list backup sets"));

  /** The EC2 API names (as in the Action= query parameter). */
  public static List<String> ec2ApiNames() {
    return EC2.stream().filter(a -> !a.api().equals("CreateTags")).map(Action::api).toList();
  }
}
