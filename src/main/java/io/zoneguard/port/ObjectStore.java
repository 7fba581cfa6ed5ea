package io.zoneguard.port;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** An object store bucket (S3). Keys are decided by the caller's layout, never here. */
public interface ObjectStore {

  /** What a completed upload produced. */
  record StoredObject(String key, long size, String sha256Hex) {}

  /** A listed object. */
  record ObjectInfo(String key, long size, java.time.Instant lastModified) {}

  /**
   * Streams {@code data} to {@code key} until end of stream, in parts, with bounded memory. Either
   * the whole object becomes visible or nothing does: any failure aborts the upload.
   */
  StoredObject put(String key, InputStream data);

  /** Small objects (manifests) in one request. */
  StoredObject putBytes(String key, byte[] data, String contentType);

  /** Opens the object for streaming; the caller closes it. Empty if the key does not exist. */
  Optional<InputStream> get(String key);

  List<ObjectInfo> list(String prefix);

  /** Deleting a key that is already gone succeeds. */
  void delete(String key);
}
