package io.zoneguard.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags of every EC2 object zoneguard creates (backup snapshots, failover and failback volumes
 * and snapshots, drill volumes). One builder so every object is found the same way: by cluster (the
 * IAM policy conditions every mutation on it), namespace, StatefulSet and PVC, plus the id of what
 * made it — a backup set, a failover/failback run or a drill, which is what retention, re-runs and
 * drill cleanup look objects up by. {@code Name} is {@code zoneguard/<ns>/<pvc>/<id>} for all of
 * them, so the EC2 console lists one StatefulSet's objects together.
 */
public final class ResourceTags {
  private final Map<String, String> tags = new LinkedHashMap<>();
  private final String namespace;
  private final String pvc;

  private ResourceTags(String cluster, String namespace, String statefulSet, String pvc) {
    this.namespace = namespace;
    this.pvc = pvc;
    tags.put(Keys.TAG_CLUSTER, cluster);
    tags.put(Keys.TAG_NAMESPACE, namespace);
    tags.put(Keys.TAG_STATEFULSET, statefulSet);
    tags.put(Keys.TAG_PVC, pvc);
  }

  public static ResourceTags of(String cluster, String namespace, String statefulSet, String pvc) {
    return new ResourceTags(cluster, namespace, statefulSet, pvc);
  }

  public ResourceTags ordinal(int ordinal) {
    tags.put(Keys.TAG_ORDINAL, Integer.toString(ordinal));
    return this;
  }

  public ResourceTags zone(String zone) {
    tags.put(Keys.TAG_ZONE, zone);
    return this;
  }

  /** A backup set's snapshot: retention finds the set by this tag. */
  public Map<String, String> backupSet(String setId) {
    return owned(Keys.TAG_BACKUP_SET, setId);
  }

  /** A failover's or failback's object: a re-run finds what it made by this tag. */
  public Map<String, String> failover(String runId) {
    return owned(Keys.TAG_FAILOVER_ID, runId);
  }

  /** A drill's object: only objects with this tag may be deleted by drill cleanup. */
  public Map<String, String> drill(String runId) {
    return owned(Keys.TAG_DRILL_ID, runId);
  }

  private Map<String, String> owned(String key, String id) {
    Map<String, String> out = new LinkedHashMap<>(tags);
    out.put(key, id);
    out.put("Name", "zoneguard/" + namespace + "/" + pvc + "/" + id);
    return out;
  }
}
