package io.zoneguard.aws;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;

/**
 * What the process offers the SDK's credential providers: system properties, environment and the
 * shared profile files, read the way the SDK reads them ({@link SdkSystemSetting}: the system
 * property first, then the environment variable), so the source {@link CredentialsChain} picks is
 * the one the SDK's provider will then use.
 */
record CredentialSettings(
    Map<String, String> systemProperties, Map<String, String> env, Optional<ProfileFile> profiles) {

  /** Profile properties that make a profile a credential source, not just a region setting. */
  private static final Set<String> CREDENTIAL_KEYS =
      Set.of(
          "aws_access_key_id",
          "role_arn",
          "credential_process",
          "sso_session",
          "sso_start_url",
          "login_session",
          "web_identity_token_file",
          "source_profile",
          "credential_source");

  static CredentialSettings current() {
    Map<String, String> props = new java.util.HashMap<>();
    System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
    Optional<ProfileFile> profiles;
    try {
      profiles = Optional.of(ProfileFile.defaultProfileFile());
    } catch (RuntimeException e) {
      // A malformed file: the profile provider reports the parse error when it is the source.
      profiles = Optional.empty();
    }
    return new CredentialSettings(props, System.getenv(), profiles);
  }

  /** A setting as the SDK resolves it: system property, then environment; blank counts as unset. */
  Optional<String> get(SdkSystemSetting s) {
    return nonBlank(systemProperties.get(s.property()))
        .or(() -> nonBlank(env.get(s.environmentVariable())));
  }

  Optional<String> systemProperty(SdkSystemSetting s) {
    return nonBlank(systemProperties.get(s.property()));
  }

  Optional<String> envVariable(SdkSystemSetting s) {
    return nonBlank(env.get(s.environmentVariable()));
  }

  /** The profile the SDK would use: aws.profile, AWS_PROFILE, else "default". */
  String profileName() {
    return nonBlank(systemProperties.get(ProfileFileSystemSetting.AWS_PROFILE.property()))
        .or(() -> nonBlank(env.get(ProfileFileSystemSetting.AWS_PROFILE.environmentVariable())))
        .orElse("default");
  }

  /** A profile was asked for by name, so its absence is a failure rather than "not configured". */
  boolean profileNamedExplicitly() {
    return !profileName().equals("default")
        || nonBlank(env.get(ProfileFileSystemSetting.AWS_PROFILE.environmentVariable()))
            .isPresent();
  }

  /** The selected profile holds credentials (keys, a role, SSO, a process), not only a region. */
  boolean profileHasCredentials() {
    Optional<Profile> p = profiles.flatMap(f -> f.profile(profileName()));
    return p.isPresent() && CREDENTIAL_KEYS.stream().anyMatch(k -> p.get().property(k).isPresent());
  }

  boolean imdsDisabled() {
    return get(SdkSystemSetting.AWS_EC2_METADATA_DISABLED)
        .map("true"::equalsIgnoreCase)
        .orElse(false);
  }

  private static Optional<String> nonBlank(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
  }
}
