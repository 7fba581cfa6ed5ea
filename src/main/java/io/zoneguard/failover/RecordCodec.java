package io.zoneguard.failover;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zoneguard.domain.FailoverRecord;
import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import java.io.IOException;

/**
 * The failover record to and from the compact JSON kept in the StatefulSet's annotation. The JSON
 * carries {@value #FORMAT_VERSION_FIELD}: a record written by a newer zoneguard is refused (exit 2)
 * rather than half understood; one without the field predates versioning and is version 1.
 */
public final class RecordCodec {
  public static final String FORMAT_VERSION_FIELD = "formatVersion";
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private RecordCodec() {}

  public static String write(FailoverRecord r) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put(FORMAT_VERSION_FIELD, FORMAT_VERSION);
    json.setAll((ObjectNode) MAPPER.valueToTree(r));
    try {
      return MAPPER.writeValueAsString(json);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the failover record", e);
    }
  }

  public static FailoverRecord read(String json, String where) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (IOException e) {
      throw invalid(where, e);
    }
    if (tree == null || !tree.isObject()) {
      throw invalid(where, null);
    }
    JsonNode version = tree.get(FORMAT_VERSION_FIELD);
    int v = version == null ? 1 : version.asInt(-1);
    if (v != FORMAT_VERSION) {
      throw ZoneguardException.usage(
          "the failover record in "
              + where
              + " has format version "
              + (version == null ? "?" : version.asText())
              + "; this zoneguard reads version "
              + FORMAT_VERSION
              + ": use the zoneguard version that wrote it");
    }
    try {
      return MAPPER.treeToValue(tree, FailoverRecord.class);
    } catch (IOException e) {
      throw invalid(where, e);
    }
  }

  private static ZoneguardException invalid(String where, IOException e) {
    return ZoneguardException.failed(
        "the failover record in "
            + where
            + " is not valid JSON"
            + (e == null ? "" : " (" + Text.firstLine(e.getMessage()) + ")")
            + ": inspect the annotation; zoneguard will not guess",
        e);
  }
}
