package io.zoneguard.aws;

import io.zoneguard.domain.ZoneguardException;
import io.zoneguard.port.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * {@link ObjectStore} on S3. Large objects go up as a multipart upload of fixed-size parts; at most
 * {@code concurrency} parts are in flight, so memory stays at {@code (concurrency + 1) * partSize}
 * whatever the object's size, and no temporary file is written. Any failure aborts the upload, so a
 * half-written object never becomes visible.
 */
public final class S3ObjectStore implements ObjectStore {
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
  public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

  private final S3Client s3;
  private final String bucket;
  private final Optional<String> kmsKeyId;
  private final int partSize;
  private final int concurrency;

  public S3ObjectStore(S3Client s3, String bucket, Optional<String> kmsKeyId) {
    this(s3, bucket, kmsKeyId, DEFAULT_PART_SIZE, 4);
  }

  public S3ObjectStore(
      S3Client s3, String bucket, Optional<String> kmsKeyId, int partSize, int concurrency) {
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("S3 parts must be at least 5 MiB, got " + partSize);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    this.s3 = s3;
    this.bucket = bucket;
    this.kmsKeyId = kmsKeyId;
    this.partSize = partSize;
    this.concurrency = concurrency;
  }

  public String bucket() {
    return bucket;
  }

  @Override
  public StoredObject put(String key, InputStream data) {
    String uploadId;
    try {
      uploadId = s3.createMultipartUpload(createRequest(key)).uploadId();
    } catch (SdkException e) {
      throw AwsErrors.translate("S3 CreateMultipartUpload s3://" + bucket + "/" + key, e);
    }
    MessageDigest sha = sha256();
    Semaphore slots = new Semaphore(concurrency);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "s3-part-upload");
              t.setDaemon(true);
              return t;
            });
    List<Future<CompletedPart>> parts = new ArrayList<>();
    AtomicInteger partNumbers = new AtomicInteger();
    long size = 0;
    try {
      while (true) {
        slots.acquire();
        byte[] buf = new byte[partSize];
        int n = readFully(data, buf);
        if (n == 0 && !parts.isEmpty()) {
          slots.release();
          break;
        }
        sha.update(buf, 0, n);
        size += n;
        int partNumber = partNumbers.incrementAndGet();
        parts.add(pool.submit(() -> uploadPart(key, uploadId, partNumber, buf, n, slots)));
        if (n < partSize) {
          break;
        }
      }
      List<CompletedPart> done = new ArrayList<>(parts.size());
      for (Future<CompletedPart> f : parts) {
        done.add(f.get());
      }
      s3.completeMultipartUpload(
          r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(done)));
      return new StoredObject(key, size, HexFormat.of().formatHex(sha.digest()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(key, uploadId, parts);
      throw ZoneguardException.failed("upload of s3://" + bucket + "/" + key + " interrupted", e);
    } catch (ExecutionException e) {
      abort(key, uploadId, parts);
      Throwable c = e.getCause();
      throw c instanceof SdkException se
          ? AwsErrors.translate("S3 UploadPart s3://" + bucket + "/" + key, se)
          : ZoneguardException.failed("upload of s3://" + bucket + "/" + key + " failed: " + c, c);
    } catch (SdkException e) {
      abort(key, uploadId, parts);
      throw AwsErrors.translate("S3 CompleteMultipartUpload s3://" + bucket + "/" + key, e);
    } catch (RuntimeException | Error e) {
      abort(key, uploadId, parts);
      throw e;
    } finally {
      pool.shutdownNow();
    }
  }

  private CompletedPart uploadPart(
      String key, String uploadId, int partNumber, byte[] buf, int n, Semaphore slots) {
    try {
      String crc = crc32c(buf, n);
      String etag =
          s3.uploadPart(
                  r ->
                      r.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .partNumber(partNumber)
                          .checksumAlgorithm(ChecksumAlgorithm.CRC32_C)
                          .checksumCRC32C(crc),
                  RequestBody.fromContentProvider(
                      () -> new ByteArrayInputStream(buf, 0, n), n, "application/octet-stream"))
              .eTag();
      return CompletedPart.builder().partNumber(partNumber).eTag(etag).checksumCRC32C(crc).build();
    } finally {
      slots.release();
    }
  }

  private void abort(String key, String uploadId, List<Future<CompletedPart>> parts) {
    parts.forEach(f -> f.cancel(true));
    try {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException ignored) {
      // The bucket's lifecycle rule for incomplete uploads (terraform/) is the backstop.
    }
  }

  @Override
  public StoredObject putBytes(String key, byte[] data, String contentType) {
    try {
      s3.putObject(
          putRequest(key, contentType, crc32c(data, data.length)), RequestBody.fromBytes(data));
    } catch (SdkException e) {
      throw AwsErrors.translate("S3 PutObject s3://" + bucket + "/" + key, e);
    }
    MessageDigest sha = sha256();
    sha.update(data);
    return new StoredObject(key, data.length, HexFormat.of().formatHex(sha.digest()));
  }

  @Override
  public Optional<InputStream> get(String key) {
    try {
      return Optional.of(s3.getObject(r -> r.bucket(bucket).key(key)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw AwsErrors.translate("S3 GetObject s3://" + bucket + "/" + key, e);
    }
  }

  @Override
  public List<ObjectInfo> list(String prefix) {
    try {
      return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
          .map(o -> new ObjectInfo(o.key(), o.size(), o.lastModified()))
          .toList();
    } catch (SdkException e) {
      throw AwsErrors.translate("S3 ListObjectsV2 s3://" + bucket + "/" + prefix, e);
    }
  }

  @Override
  public void delete(String key) {
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      // already gone counts as deleted
    } catch (SdkException e) {
      throw AwsErrors.translate("S3 DeleteObject s3://" + bucket + "/" + key, e);
    }
  }

  /*
   * Encryption: SSE-KMS with the configured key; without one, no header at all, so the bucket's
   * default encryption applies (S3 encrypts every object since 2023) and a bucket policy that
   * denies uploads without its KMS key refuses the upload instead of an explicit AES256 silently
   * overriding the bucket's SSE-KMS default.
   *
   * Checksum: CRC32C, computed by zoneguard over each part's bytes, already in memory, and declared
   * on CreateMultipartUpload (S3 refuses part checksums of an algorithm the upload was not created
   * with, and then wants every part's checksum on Complete). Object Lock buckets refuse uploads
   * without a checksum; S3 checks each part against it, and the manifest keeps the whole dump's
   * SHA-256 for restores. CRC32C is hardware-accelerated in the JDK; letting the SDK compute it
   * (WHEN_SUPPORTED) would send it as a trailer, which needs aws-chunked encoding.
   */
  private CreateMultipartUploadRequest createRequest(String key) {
    var b =
        CreateMultipartUploadRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType("application/octet-stream")
            .checksumAlgorithm(ChecksumAlgorithm.CRC32_C);
    kmsKeyId.ifPresent(k -> b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(k));
    return b.build();
  }

  private PutObjectRequest putRequest(String key, String contentType, String crc32c) {
    var b =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType(contentType)
            .checksumAlgorithm(ChecksumAlgorithm.CRC32_C)
            .checksumCRC32C(crc32c);
    kmsKeyId.ifPresent(k -> b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(k));
    return b.build();
  }

  /** The base64 of the big-endian CRC32C of {@code data[0..n)}, as S3's checksum headers want. */
  static String crc32c(byte[] data, int n) {
    CRC32C crc = new CRC32C();
    crc.update(data, 0, n);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static int readFully(InputStream in, byte[] buf) {
    try {
      return in.readNBytes(buf, 0, buf.length);
    } catch (IOException e) {
      throw ZoneguardException.failed("upload aborted: " + e.getMessage(), e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
