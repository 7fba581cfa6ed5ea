package io.zoneguard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.ObjectStore.ObjectInfo;
import io.zoneguard.port.ObjectStore.StoredObject;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AwsExtension.class)
class S3ObjectStoreIT {
  private AwsClients aws;
  private String bucket;
  private S3ObjectStore store;

  @BeforeEach
  void setUp(AwsBackend backend) {
    aws = backend.clients();
    bucket = "zg-it-" + UUID.randomUUID().toString().substring(0, 8);
    aws.s3().createBucket(b -> b.bucket(bucket));
    store = new S3ObjectStore(aws.s3(), bucket, Optional.empty(), S3ObjectStore.MIN_PART_SIZE, 3);
  }

  @AfterEach
  void tearDown() {
    aws.close();
  }

  /** A deterministic pseudo-random stream of {@code size} bytes that can fail at {@code failAt}. */
  private static InputStream stream(long size, long failAt) {
    return new InputStream() {
      final Random r = new Random(42);
      long pos;

      @Override
      public int read() throws IOException {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (pos >= size) {
          return -1;
        }
        if (pos >= failAt) {
          throw new IOException("mysqldump died");
        }
        int n = (int) Math.min(len, Math.min(size, failAt) - pos);
        byte[] chunk = new byte[n];
        r.nextBytes(chunk);
        System.arraycopy(chunk, 0, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  private static String sha256(InputStream in) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      d.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  @Test
  void multipartUploadRoundTripsAndReportsSizeAndSha256() throws Exception {
    long size = 17L * 1024 * 1024 + 12345; // four parts, the last one short

    StoredObject stored = store.put("a/dump.sql.zst", stream(size, Long.MAX_VALUE));

    assertThat(stored.size()).isEqualTo(size);
    assertThat(stored.sha256Hex()).isEqualTo(sha256(stream(size, Long.MAX_VALUE)));
    try (InputStream back = store.get("a/dump.sql.zst").orElseThrow()) {
      assertThat(sha256(back)).isEqualTo(stored.sha256Hex());
    }
    assertThat(store.list("a/")).extracting(ObjectInfo::size).containsExactly(size);
  }

  @Test
  void emptyStreamStillMakesAnObject() {
    StoredObject stored = store.put("empty", InputStream.nullInputStream());
    assertThat(stored.size()).isZero();
    assertThat(store.list("empty")).hasSize(1);
  }

  @Test
  void failingSourceAbortsTheUploadAndLeavesNothingVisible() {
    assertThatThrownBy(
            () -> store.put("b/dump.sql.zst", stream(30L * 1024 * 1024, 12L * 1024 * 1024)))
        .hasMessageContaining("mysqldump died");

    assertThat(store.list("b/")).isEmpty();
    assertThat(aws.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
  }

  @Test
  void missingBucketIsAClearFailure() {
    S3ObjectStore nowhere = new S3ObjectStore(aws.s3(), "zg-no-such-bucket", Optional.empty());
    assertThatThrownBy(() -> nowhere.putBytes("k", new byte[1], "text/plain"))
        .isInstanceOf(ZoneguardException.class)
        .hasMessageContaining("NoSuchBucket")
        .hasMessageNotContaining("\n");
  }

  @Test
  void smallObjectsGetAndDeleteIdempotently() throws Exception {
    store.putBytes("m.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
    try (InputStream in = store.get("m.json").orElseThrow()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }
    store.delete("m.json");
    store.delete("m.json");
    assertThat(store.get("m.json")).isEmpty();
  }
}
