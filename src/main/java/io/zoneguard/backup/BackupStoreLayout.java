package io.zoneguard.backup;

import io.zoneguard.domain.BinlogSegment;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object-store keys of backup sets: {@code
 * <prefix>/<cluster>/<namespace>/<statefulset>/<set-id>/dump-<pod>.sql.zst} and {@code
 * .../manifest.json}. Only {@link BackupStore} uses it; every key is a validated path segment, so
 * no name can climb out of its StatefulSet's prefix.
 */
final class BackupStoreLayout {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern BINLOG_INDEX =
      Pattern.compile(
          "(\\d{1,10})/([A-Za-z0-9][A-Za-z0-9._-]*)/(\\d{20})-(\\d{20})(-closed)?\\.json");

  private final String prefix;
  private final String cluster;

  BackupStoreLayout(String prefix, String cluster) {
    this.prefix = Objects.requireNonNull(prefix);
    this.cluster = segment("cluster", cluster);
  }

  /** Prefix under which every set of one StatefulSet lives, ending in '/'. */
  public String statefulSetPrefix(String namespace, String statefulSet) {
    return prefix
        + "/"
        + cluster
        + "/"
        + segment("namespace", namespace)
        + "/"
        + segment("statefulset", statefulSet)
        + "/";
  }

  public String setPrefix(String namespace, String statefulSet, String setId) {
    return statefulSetPrefix(namespace, statefulSet) + segment("backup set id", setId) + "/";
  }

  public String dumpKey(String namespace, String statefulSet, String setId, String pod) {
    return setPrefix(namespace, statefulSet, setId) + "dump-" + segment("pod", pod) + ".sql.zst";
  }

  public String manifestKey(String namespace, String statefulSet, String setId) {
    return setPrefix(namespace, statefulSet, setId) + "manifest.json";
  }

  /**
   * Prefix of one server's archived binary logs: {@code <prefix>/<cluster>/_binlog/<namespace>/
   * <statefulset>/<server-id>/}. Outside every StatefulSet's set prefix, so listing, pruning or
   * deleting sets never sees a binlog object as a set ('_' cannot start a namespace).
   */
  public String binlogPrefix(String namespace, String statefulSet, long serverId) {
    return binlogStatefulSetPrefix(namespace, statefulSet) + serverId + "/";
  }

  /** Prefix of every server's archived binary logs of one StatefulSet. */
  public String binlogStatefulSetPrefix(String namespace, String statefulSet) {
    return prefix
        + "/"
        + cluster
        + "/_binlog/"
        + segment("namespace", namespace)
        + "/"
        + segment("statefulset", statefulSet)
        + "/";
  }

  /**
   * A segment's data key; its index object is the same key with {@code .json} instead of {@code
   * .bin}. Offsets are zero-padded so keys list in file order, and the key alone says the range and
   * whether it closed the file: resuming needs one listing, no reads.
   */
  public String binlogDataKey(String namespace, String statefulSet, BinlogSegment.Range r) {
    return binlogPrefix(namespace, statefulSet, r.serverId())
        + segment("binlog file", r.file())
        + "/"
        + String.format(
            java.util.Locale.ROOT, "%020d-%020d%s", r.from(), r.to(), r.closed() ? "-closed" : "")
        + ".bin";
  }

  /** The index object of a segment: written after its data, so it marks the segment complete. */
  public String binlogIndexKey(String namespace, String statefulSet, BinlogSegment.Range r) {
    String data = binlogDataKey(namespace, statefulSet, r);
    return data.substring(0, data.length() - ".bin".length()) + ".json";
  }

  /** The range an index key of this StatefulSet names, or null if the key is not one. */
  public BinlogSegment.Range binlogRangeOf(String namespace, String statefulSet, String key) {
    String p = binlogStatefulSetPrefix(namespace, statefulSet);
    if (!key.startsWith(p)) {
      return null;
    }
    Matcher m = BINLOG_INDEX.matcher(key.substring(p.length()));
    if (!m.matches()) {
      return null;
    }
    return new BinlogSegment.Range(
        Long.parseLong(m.group(1)),
        m.group(2),
        Long.parseLong(m.group(3)),
        Long.parseLong(m.group(4)),
        m.group(5) != null);
  }

  /** The set id of a key under {@link #statefulSetPrefix}, or null if the key is not in a set. */
  public String setIdOf(String namespace, String statefulSet, String key) {
    String p = statefulSetPrefix(namespace, statefulSet);
    if (!key.startsWith(p)) {
      return null;
    }
    int slash = key.indexOf('/', p.length());
    return slash < 0 ? null : key.substring(p.length(), slash);
  }

  private static String segment(String what, String value) {
    if (value == null || !SEGMENT.matcher(value).matches()) {
      throw new IllegalArgumentException("invalid " + what + " for an object key: '" + value + "'");
    }
    return value;
  }
}
