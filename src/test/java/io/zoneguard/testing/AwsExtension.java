package io.zoneguard.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Injects an {@link AwsBackend}: one emulator for the whole test run, started on first use and
 * stopped when the run ends. {@code -Dzoneguard.aws=moto} (default) runs moto_server; {@code
 * -Dzoneguard.aws=localstack} runs Testcontainers LocalStack and needs a Docker engine.
 */
public final class AwsExtension implements ParameterResolver {
  public static final String REGION = "us-east-1";

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == AwsBackend.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    return backend(c);
  }

  /** The run's emulator, started on first use. */
  static AwsBackend backend(ExtensionContext c) {
    return c.getRoot()
        .getStore(ExtensionContext.Namespace.create(AwsExtension.class))
        .getOrComputeIfAbsent("backend", k -> start(), Running.class)
        .backend();
  }

  /** Kept in the root store so JUnit closes it once at the end of the run. */
  record Running(AwsBackend backend, AutoCloseable process) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      process.close();
    }
  }

  private static Running start() {
    // The production code uses the SDK's default credentials chain; give it the emulator's keys.
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
    String kind = System.getProperty("zoneguard.aws", "moto");
    switch (kind) {
      case "moto" -> {
        MotoServer moto = MotoServer.start();
        return new Running(
            new AwsBackend("moto", moto.endpoint(), REGION, "testing", "testing"), moto);
      }
      case "localstack" -> {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
          throw new IllegalStateException(
              "-Dzoneguard.aws=localstack needs a Docker engine and none answers here;"
                  + " run with -Dzoneguard.aws=moto (the default) instead");
        }
        LocalStackContainer ls =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
                .withServices("ec2", "s3");
        ls.start();
        System.setProperty("aws.accessKeyId", ls.getAccessKey());
        System.setProperty("aws.secretAccessKey", ls.getSecretKey());
        return new Running(
            new AwsBackend(
                "localstack",
                ls.getEndpoint(),
                ls.getRegion(),
                ls.getAccessKey(),
                ls.getSecretKey()),
            ls::stop);
      }
      default ->
          throw new IllegalStateException(
              "unknown -Dzoneguard.aws=" + kind + " (allowed: moto, localstack)");
    }
  }
}
