package io.zoneguard.backup;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.DatabaseLoader;
import io.zoneguard.port.DatabaseLoader.RunningLoad;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a backup set's dump back into a database server. The object's SHA-256 is checked against
 * the manifest before a single statement runs, so a corrupted or altered dump restores nothing.
 */
public final class RestoreService {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreService.class);

  private final BackupStore sets;
  private final Clock clock;

  public record Result(
      String setId,
      String target,
      String dumpKey,
      String sha256,
      long sqlBytes,
      Map<String, String> renames,
      double verifySeconds,
      double loadSeconds) {}

  public RestoreService(BackupStore sets, Clock clock) {
    this.sets = sets;
    this.clock = clock;
  }

  public Result restore(BackupManifest m, DatabaseLoader loader, Map<String, String> renames) {
    List<String> unknown =
        renames.keySet().stream().filter(d -> !m.dump().databases().contains(d)).toList();
    if (!unknown.isEmpty()) {
      throw ZoneguardException.usage(
          "cannot rename " + unknown + ": set " + m.setId() + " holds " + m.dump().databases());
    }
    String key = m.dump().key();
    Instant t0 = clock.instant();
    String actual = sha256(m);
    if (!actual.equals(m.dump().sha256())) {
      throw ZoneguardException.failed(
          "dump "
              + key
              + " has SHA-256 "
              + actual
              + " but the manifest records "
              + m.dump().sha256()
              + ": the object is corrupted or was altered; nothing was restored",
          null);
    }
    Instant t1 = clock.instant();
    LOG.info("restore {}: SHA-256 of {} verified", m.setId(), key);
    long sql;
    try (RunningLoad load = loader.start();
        InputStream raw = sets.openDump(m);
        InputStream in = new ZstdInputStreamNoFinalizer(new BufferedInputStream(raw, 1 << 20))) {
      try (OutputStream out = load.stdin()) {
        sql = DatabaseRenamer.copy(in, out, renames);
      } catch (IOException e) {
        // The client died mid-stream: its exit status says why.
        load.finish(Duration.ofSeconds(30));
        throw ZoneguardException.failed("loading stopped: " + e.getMessage(), e);
      }
      load.finish(Duration.ofHours(6));
      LOG.info("restore {}: {} MiB of SQL loaded into {}", m.setId(), sql >> 20, load.target());
      return new Result(
          m.setId(),
          load.target(),
          key,
          actual,
          sql,
          Map.copyOf(renames),
          secondsBetween(t0, t1),
          secondsBetween(t1, clock.instant()));
    } catch (IOException e) {
      throw ZoneguardException.failed("reading dump " + key + " failed: " + e.getMessage(), e);
    }
  }

  private String sha256(BackupManifest m) {
    String key = m.dump().key();
    try (InputStream in = sets.openDump(m);
        DigestInputStream d = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
      byte[] buf = new byte[1 << 16];
      while (d.read(buf) > 0) {
        // digest as we go
      }
      return HexFormat.of().formatHex(d.getMessageDigest().digest());
    } catch (IOException e) {
      throw ZoneguardException.failed("reading dump " + key + " failed: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double secondsBetween(Instant a, Instant b) {
    return Duration.between(a, b).toMillis() / 1000.0;
  }
}
