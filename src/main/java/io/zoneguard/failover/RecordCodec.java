package io.zoneguard.failover;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import java.io.IOException;

/** The failover record to and from the compact JSON kept in the StatefulSet's annotation. */
public final class RecordCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private RecordCodec() {}

  public static String write(FailoverRecord r) {
    try {
      return MAPPER.writeValueAsString(r);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the failover record", e);
    }
  }

  public static FailoverRecord read(String json, String where) {
    try {
      return MAPPER.readValue(json, FailoverRecord.class);
    } catch (IOException e) {
      throw ZoneguardException.failed(
          "the failover record in "
              + where
              + " is not valid JSON ("
              + Text.firstLine(e.getMessage())
              + "): inspect the annotation; zoneguard will not guess",
          e);
    }
  }
}
