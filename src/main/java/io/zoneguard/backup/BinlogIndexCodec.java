package io.zoneguard.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zoneguard.domain.BinlogSegment;
import io.zoneguard.domain.ZoneguardException;
import java.io.IOException;

/** The small JSON index object written next to each archived binlog segment. */
final class BinlogIndexCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private BinlogIndexCodec() {}

  static byte[] write(BinlogSegment s) {
    try {
      return MAPPER.writeValueAsBytes(s);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a binlog index", e);
    }
  }

  static BinlogSegment read(byte[] json, String where) {
    try {
      return MAPPER.readValue(json, BinlogSegment.class);
    } catch (IOException | IllegalArgumentException e) {
      throw ZoneguardException.failed("binlog index " + where + " is not valid JSON", e);
    }
  }
}
