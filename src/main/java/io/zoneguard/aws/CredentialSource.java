package io.zoneguard.aws;

import software.amazon.awssdk.core.SdkSystemSetting;

/**
 * The places AWS credentials can come from, in the order of the SDK's default chain
 * (DefaultCredentialsProvider: system properties, environment, web identity, profile, container,
 * instance metadata). Each knows whether the process configured it and how to fix it when it fails.
 */
enum CredentialSource {
  SYSTEM_PROPERTIES(
      "system properties aws.accessKeyId/aws.secretAccessKey",
      "set both aws.accessKeyId and aws.secretAccessKey (and aws.sessionToken for temporary keys)"),
  ENVIRONMENT(
      "env AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
      "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary"
          + " keys)"),
  WEB_IDENTITY(
      "web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, IRSA)",
      "check that the role's trust policy names this cluster's OIDC provider and zoneguard's"
          + " ServiceAccount, and that the token file is mounted (terraform/, runbooks/install.md)"),
  PROFILE(
      "profile",
      "fix the profile in ~/.aws/config or ~/.aws/credentials, or run 'aws sso login' for an SSO"
          + " profile"),
  CONTAINER(
      "container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI/RELATIVE_URI, EKS Pod Identity)",
      "check that the EKS Pod Identity Agent add-on runs on the node and that a Pod Identity"
          + " association exists for zoneguard's ServiceAccount (runbooks/install.md)"),
  INSTANCE_METADATA("EC2 instance metadata (IMDS)", "");

  private final String label;
  private final String fix;

  CredentialSource(String label, String fix) {
    this.label = label;
    this.fix = fix;
  }

  /** How the source reads in a message, with the non-secret settings that identify it. */
  String describe(CredentialSettings s) {
    return switch (this) {
      case WEB_IDENTITY ->
          "web identity token file (role "
              + s.get(SdkSystemSetting.AWS_ROLE_ARN).orElse("<AWS_ROLE_ARN unset>")
              + ", token file "
              + s.get(SdkSystemSetting.AWS_WEB_IDENTITY_TOKEN_FILE)
                  .orElse("<AWS_WEB_IDENTITY_TOKEN_FILE unset>")
              + ")";
      case PROFILE -> "profile '" + s.profileName() + "'";
      case CONTAINER ->
          "container credentials ("
              + s.get(SdkSystemSetting.AWS_CONTAINER_CREDENTIALS_FULL_URI)
                  .or(() -> s.get(SdkSystemSetting.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI))
                  .orElse("")
              + ")";
      default -> label;
    };
  }

  /** How the source reads in the list of sources tried when none yields credentials. */
  String label(CredentialSettings s) {
    return this == PROFILE
        ? "profile '" + s.profileName() + "' (~/.aws/config, ~/.aws/credentials)"
        : label;
  }

  String fix() {
    return fix;
  }

  /**
   * Whether the process asked for this source. IMDS never counts: it is what is left when nothing
   * else is set up, and on EKS it would answer with the node's role rather than zoneguard's.
   */
  boolean configured(CredentialSettings s) {
    return switch (this) {
      case SYSTEM_PROPERTIES ->
          s.systemProperty(SdkSystemSetting.AWS_ACCESS_KEY_ID).isPresent()
              || s.systemProperty(SdkSystemSetting.AWS_SECRET_ACCESS_KEY).isPresent();
      case ENVIRONMENT ->
          s.envVariable(SdkSystemSetting.AWS_ACCESS_KEY_ID).isPresent()
              || s.envVariable(SdkSystemSetting.AWS_SECRET_ACCESS_KEY).isPresent();
      case WEB_IDENTITY ->
          s.get(SdkSystemSetting.AWS_WEB_IDENTITY_TOKEN_FILE).isPresent()
              || s.get(SdkSystemSetting.AWS_ROLE_ARN).isPresent();
      case PROFILE -> s.profileNamedExplicitly() || s.profileHasCredentials();
      case CONTAINER ->
          s.get(SdkSystemSetting.AWS_CONTAINER_CREDENTIALS_FULL_URI).isPresent()
              || s.get(SdkSystemSetting.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI).isPresent();
      case INSTANCE_METADATA -> false;
    };
  }
}
