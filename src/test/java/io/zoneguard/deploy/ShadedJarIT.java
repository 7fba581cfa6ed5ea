package io.zoneguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.testing.ShadedJar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The shipped jar holds every SDK module the credential chain loads at run time. The SDK's auth
 * module names them only as strings and loads them by reflection (WebIdentityCredentialsUtils,
 * ProfileCredentialsUtils, ProfileTokenProviderLoader), so a missing module compiles, packages and
 * passes every in-process test, then fails in the pod: IRSA without sts did exactly that.
 */
class ShadedJarIT {
  /** The reflective factories of SDK 2.57.8, by name, with the sources that need them. */
  private static final Set<String> CHAIN_NEEDS =
      Set.of(
          // IRSA: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, and web_identity_token_file profiles
          "software.amazon.awssdk.services.sts.internal.StsWebIdentityCredentialsProviderFactory",
          // role_arn + source_profile / credential_source profiles
          "software.amazon.awssdk.services.sts.internal.StsProfileCredentialsProviderFactory",
          // 'aws sso login' profiles, and their token refresh
          "software.amazon.awssdk.services.sso.auth.SsoProfileCredentialsProviderFactory",
          "software.amazon.awssdk.services.ssooidc.SsoOidcProfileTokenProviderFactory",
          // 'aws login' profiles (login_session)
          "software.amazon.awssdk.services.signin.auth.LoginProfileCredentialsProviderFactory");

  private static final Pattern SERVICE_CLASS =
      Pattern.compile("software\\.amazon\\.awssdk\\.services\\.[a-z0-9]+(\\.[A-Za-z0-9_$]+)+");

  @Test
  void everyClassTheCredentialChainLoadsByReflectionIsInTheJar() throws IOException {
    try (ZipFile jar = new ZipFile(ShadedJar.path().toFile())) {
      Set<String> named = serviceClassesNamedByTheAuthModules(jar);

      // The scan finds what we know of, so it would also find what a new SDK version adds.
      assertThat(named).containsAll(CHAIN_NEEDS);
      assertThat(named)
          .allSatisfy(
              cls ->
                  assertThat(jar.getEntry(cls.replace('.', '/') + ".class"))
                      .as("%s is in %s", cls, ShadedJar.path())
                      .isNotNull());
      // zoneguard builds the IRSA provider itself, over its own STS client.
      assertThat(
              jar.getEntry(
                  "software/amazon/awssdk/services/sts/auth/"
                      + "StsWebIdentityTokenFileCredentialsProvider.class"))
          .isNotNull();
    }
  }

  /**
   * Class names under software.amazon.awssdk.services that the auth and profile modules' classes
   * hold as string constants: class files keep them as plain ASCII in the constant pool.
   */
  private static Set<String> serviceClassesNamedByTheAuthModules(ZipFile jar) throws IOException {
    Set<String> names = new TreeSet<>();
    for (ZipEntry e : java.util.Collections.list(jar.entries())) {
      String n = e.getName();
      boolean auth =
          n.startsWith("software/amazon/awssdk/auth/")
              || n.startsWith("software/amazon/awssdk/profiles/");
      if (!auth || !n.endsWith(".class")) {
        continue;
      }
      try (InputStream in = jar.getInputStream(e)) {
        Matcher m =
            SERVICE_CLASS.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        while (m.find()) {
          names.add(m.group());
        }
      }
    }
    return names;
  }
}
