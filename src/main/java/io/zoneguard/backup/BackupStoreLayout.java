package io.zoneguard.backup;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Object-store keys of backup sets: {@code
 * <prefix>/<cluster>/<namespace>/<statefulset>/<set-id>/dump-<pod>.sql.zst} and {@code
 * .../manifest.json}. Only {@link BackupStore} uses it; every key is a validated path segment, so
 * no name can climb out of its StatefulSet's prefix.
 */
final class BackupStoreLayout {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

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
