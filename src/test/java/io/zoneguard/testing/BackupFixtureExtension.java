package io.zoneguard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a fresh {@link BackupFixture} per test (on the run's AWS emulator) and closes it after.
 */
public final class BackupFixtureExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == BackupFixture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    try {
      BackupFixture f =
          new BackupFixture(AwsExtension.backend(c), Files.createTempDirectory("zoneguard-it"));
      c.getStore(ExtensionContext.Namespace.create(BackupFixtureExtension.class, f))
          .put("fixture", (AutoCloseable) f::close);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
