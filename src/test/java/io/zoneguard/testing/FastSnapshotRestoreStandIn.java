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
 * EC2's Fast Snapshot Restore API, which moto does not implement (it answers it with an error),
 * answered at a {@link FaultProxy} gate. Shaped after the EC2 API reference:
 *
 * <ul>
 *   <li>DescribeFastSnapshotRestores (DescribeFastSnapshotRestoreSuccessItem): filters {@code
 *       snapshot-id}, {@code availability-zone} and {@code state}, each with any number of values
 *       (a value list is an OR, filters are ANDed), one {@code item} per (snapshot, zone) in {@code
 *       fastSnapshotRestoreSet}. Like EC2, a snapshot-zone pair never set does not appear at all.
 *   <li>EnableFastSnapshotRestores / DisableFastSnapshotRestores
 *       (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableFastSnapshotRestores.html
 *       and API_DisableFastSnapshotRestores.html): {@code SourceSnapshotId.N} × {@code
 *       AvailabilityZone.N}, every pair acted on; the answer lists the pairs acted on in {@code
 *       successful} (state {@code enabling} resp. {@code disabling}) and the refused ones in {@code
 *       unsuccessful}, per snapshot a {@code fastSnapshotRestoreStateErrorSet} of zone + error
 *       (EnableFastSnapshotRestoreErrorItem / StateErrorItem / StateError): a refused pair does not
 *       fail the call. The reference names no error codes; this stand-in uses {@code
 *       InvalidSnapshot.NotFound} (EC2's code for an unknown snapshot elsewhere) and {@code
 *       FastSnapshotRestoreLimitExceeded}.
 *   <li>States after enabling: {@code enabling → optimizing → enabled} (a volume gets FSR's full
 *       benefit only once {@code enabled}: EBS user guide, manage-fsr-enable); after disabling:
 *       {@code disabling → disabled}. How long each lasts is the test's choice ({@link
 *       #transitions}); {@link #settle} ends every transition at once.
 *   <li>The quota of the EBS user guide (ebs-fast-snapshot-restore, Considerations): FSR on at most
 *       {@link #limit} (default 5) snapshots per region at a time; a pair that would make a sixth
 *       snapshot is refused.
 * </ul>
 *
 * States set with {@link #set} stay as set.
 */
public final class FastSnapshotRestoreStandIn implements FaultProxy.Gate {
  private static final Set<String> STATES =
      Set.of("enabling", "optimizing", "enabled", "disabling", "disabled");

  private static final Set<String> ACTIVE = Set.of("enabling", "optimizing", "enabled");

  /** One snapshot-zone pair: a fixed state, or switched on/off at {@code since} (nanoTime). */
  private record Pair(String fixed, boolean on, long since) {
    String state(Durations d, long now) {
      if (fixed != null) {
        return fixed;
      }
      long t = now - since;
      if (on) {
        return t < d.enabling
            ? "enabling"
            : t < d.enabling + d.optimizing ? "optimizing" : "enabled";
      }
      return t < d.disabling ? "disabling" : "disabled";
    }
  }

  private record Durations(long enabling, long optimizing, long disabling) {}

  private final Map<String, Map<String, Pair>> states = new ConcurrentHashMap<>();
  private final Set<String> everySnapshotIn = ConcurrentHashMap.newKeySet();
  private volatile Durations durations = new Durations(0, 0, 0);
  private volatile int limit = 5;
  private volatile java.util.function.Predicate<String> exists = id -> true;

  /** How long the transitional states last (default: none, so enabled/disabled at once). */
  public FastSnapshotRestoreStandIn transitions(
      java.time.Duration enabling, java.time.Duration optimizing, java.time.Duration disabling) {
    durations = new Durations(enabling.toNanos(), optimizing.toNanos(), disabling.toNanos());
    return this;
  }

  /** Every transition under way ends now: enabling/optimizing are enabled, disabling disabled. */
  public void settle() {
    Durations d = durations;
    long past = System.nanoTime() - d.enabling - d.optimizing - d.disabling - 1;
    states
        .values()
        .forEach(m -> m.replaceAll((zone, p) -> p.fixed != null ? p : new Pair(null, p.on, past)));
  }

  /** The region's FSR quota in snapshots (EBS: 5 by default). */
  public FastSnapshotRestoreStandIn limit(int snapshots) {
    limit = snapshots;
    return this;
  }

  /** Which snapshot ids exist (e.g. asked of moto): Enable/Disable refuse the others. */
  public FastSnapshotRestoreStandIn snapshotsExist(java.util.function.Predicate<String> p) {
    exists = p;
    return this;
  }

  /** The state of a pair now, or null when it never had FSR. */
  public String state(String snapshotId, String zone) {
    Pair p = states.getOrDefault(snapshotId, Map.of()).get(zone);
    return p == null ? null : p.state(durations, System.nanoTime());
  }

  /** Every pair's state now: snapshot → zone → state. */
  public Map<String, Map<String, String>> states() {
    long now = System.nanoTime();
    Map<String, Map<String, String>> out = new TreeMap<>();
    states.forEach(
        (snap, byZone) ->
            byZone.forEach(
                (zone, p) ->
                    out.computeIfAbsent(snap, k -> new TreeMap<>())
                        .put(zone, p.state(durations, now))));
    return out;
  }

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
    states
        .computeIfAbsent(snapshotId, k -> new ConcurrentHashMap<>())
        .put(zone, new Pair(state, false, 0));
    return this;
  }

  @Override
  public void before(FaultProxy.Seen request) {}

  @Override
  public FaultProxy.Reply intercept(FaultProxy.Seen request) {
    if ("EnableFastSnapshotRestores".equals(request.action())) {
      return change(request, true);
    }
    if ("DisableFastSnapshotRestores".equals(request.action())) {
      return change(request, false);
    }
    if (!"DescribeFastSnapshotRestores".equals(request.action())) {
      return null;
    }
    Map<String, List<String>> filters = filters(request.body());
    for (String snapshot : filters.getOrDefault("snapshot-id", List.of())) {
      for (String zone : everySnapshotIn) {
        states
            .computeIfAbsent(snapshot, k -> new ConcurrentHashMap<>())
            .putIfAbsent(zone, new Pair("enabled", true, 0));
      }
    }
    long now = System.nanoTime();
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
                        (zone, pair) -> {
                          String state = pair.state(durations, now);
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

  /** Enable (on) or Disable FSR for every SourceSnapshotId × AvailabilityZone of the request. */
  private synchronized FaultProxy.Reply change(FaultProxy.Seen request, boolean on) {
    Map<String, String> form = form(request.body());
    List<String> snapshots = listed(form, "SourceSnapshotId.");
    List<String> zones = listed(form, "AvailabilityZone.");
    String verb = on ? "Enable" : "Disable";
    StringBuilder ok = new StringBuilder();
    Map<String, StringBuilder> refused = new TreeMap<>();
    long now = System.nanoTime();
    for (String snapshot : snapshots) {
      for (String zone : zones) {
        String code = null;
        String message = null;
        if (!exists.test(snapshot)) {
          code = "InvalidSnapshot.NotFound";
          message = "The snapshot '" + snapshot + "' does not exist.";
        } else if (on && wouldExceedLimit(snapshot, now)) {
          code = "FastSnapshotRestoreLimitExceeded";
          message = "You can enable fast snapshot restores for at most " + limit + " snapshots.";
        }
        if (code != null) {
          refused
              .computeIfAbsent(snapshot, k -> new StringBuilder())
              .append("<item><availabilityZone>")
              .append(zone)
              .append("</availabilityZone><error><code>")
              .append(code)
              .append("</code><message>")
              .append(message)
              .append("</message></error></item>");
          continue;
        }
        Pair before = states.getOrDefault(snapshot, Map.of()).get(zone);
        String was = before == null ? "disabled" : before.state(durations, now);
        // enabling an active pair, or disabling an inactive one, changes nothing (EC2 answers
        // with the pair's state)
        boolean change = on != ACTIVE.contains(was);
        if (change) {
          states
              .computeIfAbsent(snapshot, k -> new ConcurrentHashMap<>())
              .put(zone, new Pair(null, on, now));
        }
        ok.append("<item><snapshotId>")
            .append(snapshot)
            .append("</snapshotId><availabilityZone>")
            .append(zone)
            .append("</availabilityZone><state>")
            .append(change ? (on ? "enabling" : "disabling") : was)
            .append("</state></item>");
      }
    }
    StringBuilder xml =
        new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<")
            .append(verb)
            .append(
                "FastSnapshotRestoresResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">")
            .append("<requestId>fsr-stand-in</requestId><successful>")
            .append(ok)
            .append("</successful><unsuccessful>");
    refused.forEach(
        (snapshot, errors) ->
            xml.append("<item><snapshotId>")
                .append(snapshot)
                .append("</snapshotId><fastSnapshotRestoreStateErrorSet>")
                .append(errors)
                .append("</fastSnapshotRestoreStateErrorSet></item>"));
    xml.append("</unsuccessful></").append(verb).append("FastSnapshotRestoresResponse>");
    return new FaultProxy.Reply(200, "text/xml;charset=UTF-8", xml.toString());
  }

  /** Whether FSR on {@code snapshot} would make one snapshot more than the quota allows. */
  private boolean wouldExceedLimit(String snapshot, long now) {
    Set<String> active = new java.util.TreeSet<>();
    states.forEach(
        (snap, byZone) ->
            byZone
                .values()
                .forEach(
                    p -> {
                      if (ACTIVE.contains(p.state(durations, now))) {
                        active.add(snap);
                      }
                    }));
    return !active.contains(snapshot) && active.size() >= limit;
  }

  /** {@code Prefix1}, {@code Prefix2}, ... of a query-protocol form, in order. */
  private static List<String> listed(Map<String, String> form, String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 1; form.containsKey(prefix + i); i++) {
      out.add(form.get(prefix + i));
    }
    return out;
  }

  private static boolean matches(Map<String, List<String>> filters, String name, String value) {
    List<String> wanted = filters.get(name);
    return wanted == null || wanted.contains(value);
  }

  /** {@code Filter.N.Name} / {@code Filter.N.Value.M} of an EC2 query-protocol form body. */
  private static Map<String, List<String>> filters(String body) {
    Map<String, String> form = form(body);
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

  private static Map<String, String> form(String body) {
    Map<String, String> form = new TreeMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }
}
