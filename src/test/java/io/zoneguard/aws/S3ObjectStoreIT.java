package io.zoneguard.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.ObjectStore.ObjectInfo;
import io.zoneguard.port.ObjectStore.StoredObject;
import io.zoneguard.testing.AwsBackend;
import io.zoneguard.testing.AwsExtension;
import io.zoneguard.testing.FaultProxy;
import io.zoneguard.testing.FaultProxy.Seen;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;

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

  /** The proxy's record of one kind of S3 call. */
  private static List<Seen> calls(FaultProxy proxy, Predicate<Seen> which) {
    return proxy.seen().stream().filter(which).toList();
  }

  private static boolean isUploadPart(Seen s) {
    return s.method().equals("PUT") && s.uri().contains("partNumber=");
  }

  private static boolean isCreateMultipart(Seen s) {
    return s.method().equals("POST") && s.uri().contains("?uploads");
  }

  private static boolean isPutObject(Seen s, String key) {
    return s.method().equals("PUT") && s.uri().endsWith("/" + key);
  }

  @Test
  void everyUploadCarriesZoneguardsCrc32cAndNoEncryptionHeaderWithoutAKmsKey(AwsBackend backend)
      throws Exception {
    byte[] dump = new byte[2 * S3ObjectStore.MIN_PART_SIZE + 777];
    new Random(7).nextBytes(dump);
    byte[] manifest = "{\"set\":1}".getBytes(StandardCharsets.UTF_8);
    try (FaultProxy proxy = new FaultProxy(backend.endpoint(), s -> false, 500, "none");
        AwsClients viaProxy = backend.clientsVia(proxy)) {
      S3ObjectStore wire =
          new S3ObjectStore(
              viaProxy.s3(), bucket, Optional.empty(), S3ObjectStore.MIN_PART_SIZE, 2);

      wire.put("c/dump.sql.zst", new ByteArrayInputStream(dump));
      wire.putBytes("c/manifest.json", manifest, "application/json");

      List<Seen> parts = calls(proxy, S3ObjectStoreIT::isUploadPart);
      assertThat(parts).hasSize(3);
      for (Seen part : parts) {
        int n = Integer.parseInt(part.uri().replaceAll(".*partNumber=(\\d+).*", "$1"));
        int from = (n - 1) * S3ObjectStore.MIN_PART_SIZE;
        int to = Math.min(dump.length, from + S3ObjectStore.MIN_PART_SIZE);
        assertThat(part.header("x-amz-checksum-crc32c"))
            .as("part %d", n)
            .contains(crc32c(Arrays.copyOfRange(dump, from, to)));
        assertThat(part.header("x-amz-sdk-checksum-algorithm")).contains("CRC32C");
      }
      Seen create = calls(proxy, S3ObjectStoreIT::isCreateMultipart).get(0);
      assertThat(create.header("x-amz-checksum-algorithm")).contains("CRC32C");
      Seen put = calls(proxy, s -> isPutObject(s, "c/manifest.json")).get(0);
      assertThat(put.header("x-amz-checksum-crc32c")).contains(crc32c(manifest));
      // No explicit AES256: the bucket's default encryption (SSE-KMS in terraform/) applies.
      assertThat(List.of(create, put))
          .allSatisfy(s -> assertThat(s.header("x-amz-server-side-encryption")).isEmpty());
    }
    try (InputStream back = store.get("c/dump.sql.zst").orElseThrow()) {
      assertThat(back.readAllBytes()).isEqualTo(dump);
    }
  }

  @Test
  void aKmsKeyIsSentAsSseKmsWithTheKeyId(AwsBackend backend) throws Exception {
    try (FaultProxy proxy = new FaultProxy(backend.endpoint(), s -> false, 500, "none");
        AwsClients viaProxy = backend.clientsVia(proxy)) {
      S3ObjectStore wire =
          new S3ObjectStore(
              viaProxy.s3(),
              bucket,
              Optional.of("alias/zoneguard"),
              S3ObjectStore.MIN_PART_SIZE,
              2);

      wire.put("k/dump.sql.zst", new ByteArrayInputStream(new byte[1000]));
      wire.putBytes("k/manifest.json", new byte[10], "application/json");

      Seen create = calls(proxy, S3ObjectStoreIT::isCreateMultipart).get(0);
      Seen put = calls(proxy, s -> isPutObject(s, "k/manifest.json")).get(0);
      assertThat(List.of(create, put))
          .allSatisfy(
              s -> {
                assertThat(s.header("x-amz-server-side-encryption")).contains("aws:kms");
                assertThat(s.header("x-amz-server-side-encryption-aws-kms-key-id"))
                    .contains("alias/zoneguard");
              });
    }
  }

  @Test
  void uploadsToAnObjectLockBucketWithDefaultRetentionSucceed() throws Exception {
    String locked = "zg-lock-" + UUID.randomUUID().toString().substring(0, 8);
    aws.s3().createBucket(b -> b.bucket(locked).objectLockEnabledForBucket(true));
    aws.s3()
        .putObjectLockConfiguration(
            r ->
                r.bucket(locked)
                    .objectLockConfiguration(
                        c ->
                            c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                                .rule(
                                    rule ->
                                        rule.defaultRetention(
                                            d ->
                                                d.mode(ObjectLockRetentionMode.GOVERNANCE)
                                                    .days(1)))));
    S3ObjectStore lockedStore =
        new S3ObjectStore(aws.s3(), locked, Optional.empty(), S3ObjectStore.MIN_PART_SIZE, 2);
    long size = 6L * 1024 * 1024 + 3;

    StoredObject dump = lockedStore.put("s/dump.sql.zst", stream(size, Long.MAX_VALUE));
    lockedStore.putBytes(
        "s/manifest.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");

    assertThat(dump.size()).isEqualTo(size);
    assertThat(lockedStore.list("s/"))
        .extracting(ObjectInfo::key)
        .containsExactlyInAnyOrder("s/dump.sql.zst", "s/manifest.json");
    assertThat(
            aws.s3()
                .headObject(r -> r.bucket(locked).key("s/manifest.json"))
                .objectLockRetainUntilDate())
        .as("the bucket's default retention applied")
        .isNotNull();
  }

  private static String crc32c(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
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
