package io.zoneguard.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.zoneguard.domain.BackupManifest;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import java.io.IOException;

/** Manifest to and from JSON. Unknown fields are ignored so older zoneguard reads newer sets. */
public final class ManifestCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ManifestCodec() {}

  public static byte[] write(BackupManifest m) {
    try {
      return MAPPER.writeValueAsBytes(m);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise manifest", e);
    }
  }

  public static BackupManifest read(byte[] json, String where) {
    try {
      BackupManifest m = MAPPER.readValue(json, BackupManifest.class);
      if (m.formatVersion() > BackupManifest.FORMAT_VERSION) {
        throw ZoneguardException.failed(
            "manifest "
                + where
                + " has format "
                + m.formatVersion()
                + ", newer than this zoneguard understands ("
                + BackupManifest.FORMAT_VERSION
                + "): upgrade zoneguard",
            null);
      }
      return m;
    } catch (IOException e) {
      throw ZoneguardException.failed(
          "manifest " + where + " is not valid: " + Text.firstLine(e.getMessage()), e);
    }
  }
}
