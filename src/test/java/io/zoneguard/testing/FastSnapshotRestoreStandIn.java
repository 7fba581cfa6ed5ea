package io.zoneguard.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * EC2's DescribeFastSnapshotRestores, which moto does not implement (it answers it with an error),
 * answered at a {@link FaultProxy} gate from states a test sets. Shaped after the EC2 API reference
 * (DescribeFastSnapshotRestores; DescribeFastSnapshotRestoreSuccessItem): filters {@code
 * snapshot-id}, {@code availability-zone} and {@code state}, each with any number of values (a
 * value list is an OR, filters are ANDed), one {@code item} per (snapshot, zone) in {@code
 * fastSnapshotRestoreSet}, states {@code enabling | optimizing | enabled | disabling | disabled}.
 * Like EC2, a snapshot-zone pair never set does not appear at all.
 */
public final class FastSnapshotRestoreStandIn implements FaultProxy.Gate {
  private static final Set<String> STATES =
      Set.of("enabling", "optimizing", "enabled", "disabling", "disabled");

  private final Map<String, Map<String, String>> states = new ConcurrentHashMap<>();
  private final Set<String> everySnapshotIn = ConcurrentHashMap.newKeySet();

  /**
   * FSR is {@code enabled} in {@code zone} for every snapshot a request names, for tests that do
   * not know their snapshots' ids in advance (as an operator's config enables it on each new set).
   */
  public FastSnapshotRestoreStandIn enableEverySnapshotIn(String zone) {
    everySnapshotIn.add(zone);
    return this;
  }

  /** FSR of {@code snapshotId} in {@code zone} is now {@code state}. */
  public FastSnapshotRestoreStandIn set(String snapshotId, String zone, String state) {
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException("not an FSR state: " + state);
    }
    states.computeIfAbsent(snapshotId, k -> new ConcurrentHashMap<>()).put(zone, state);
    return this;
  }

  @Override
  public void before(FaultProxy.Seen request) {}

  @Override
  public FaultProxy.Reply intercept(FaultProxy.Seen request) {
    if (!"DescribeFastSnapshotRestores".equals(request.action())) {
      return null;
    }
    Map<String, List<String>> filters = filters(request.body());
    for (String snapshot : filters.getOrDefault("snapshot-id", List.of())) {
      for (String zone : everySnapshotIn) {
        states
            .computeIfAbsent(snapshot, k -> new ConcurrentHashMap<>())
            .putIfAbsent(zone, "enabled");
      }
    }
    StringBuilder xml =
        new StringBuilder(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<DescribeFastSnapshotRestoresResponse"
                + " xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>fsr-stand-in</requestId><fastSnapshotRestoreSet>");
    new TreeMap<>(states)
        .forEach(
            (snapshot, byZone) ->
                new TreeMap<>(byZone)
                    .forEach(
                        (zone, state) -> {
                          if (matches(filters, "snapshot-id", snapshot)
                              && matches(filters, "availability-zone", zone)
                              && matches(filters, "state", state)) {
                            xml.append("<item><snapshotId>")
                                .append(snapshot)
                                .append("</snapshotId><availabilityZone>")
                                .append(zone)
                                .append("</availabilityZone><state>")
                                .append(state)
                                .append("</state></item>");
                          }
                        }));
    xml.append("</fastSnapshotRestoreSet></DescribeFastSnapshotRestoresResponse>");
    return new FaultProxy.Reply(200, "text/xml;charset=UTF-8", xml.toString());
  }

  private static boolean matches(Map<String, List<String>> filters, String name, String value) {
    List<String> wanted = filters.get(name);
    return wanted == null || wanted.contains(value);
  }

  /** {@code Filter.N.Name} / {@code Filter.N.Value.M} of an EC2 query-protocol form body. */
  private static Map<String, List<String>> filters(String body) {
    Map<String, String> form = new TreeMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    Map<String, List<String>> out = new TreeMap<>();
    form.forEach(
        (k, v) -> {
          if (k.matches("Filter\\.\\d+\\.Name")) {
            String prefix = k.substring(0, k.length() - "Name".length()) + "Value.";
            List<String> values = new ArrayList<>();
            form.forEach(
                (k2, v2) -> {
                  if (k2.startsWith(prefix)) {
                    values.add(v2);
                  }
                });
            out.put(v, values);
          }
        });
    return out;
  }
}
