package io.zoneguard.backup;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Grandfather-father-son retention as a pure function: keep the newest complete set of each of the
 * last N hours, days, ISO weeks and months (UTC) that hold one. Whatever the counts, it keeps the
 * newest complete set, every set in use by a failover or drill, and incomplete sets younger than
 * the grace period (a backup still running has no manifest yet).
 */
public record RetentionPolicy(
    int hourly, int daily, int weekly, int monthly, Duration incompleteGrace) {

  public RetentionPolicy {
    if (hourly < 0 || daily < 0 || weekly < 0 || monthly < 0) {
      throw new IllegalArgumentException("retention counts cannot be negative");
    }
    if (incompleteGrace == null || incompleteGrace.isNegative()) {
      throw new IllegalArgumentException("incomplete grace must be zero or positive");
    }
  }

  /** One set as retention sees it. */
  public record SetInfo(String setId, Instant startedAt, boolean complete) {}

  /** The verdict: every input set is in exactly one list; {@code reasons} says why each is kept. */
  public record Decision(List<String> keep, List<String> delete, Map<String, String> reasons) {}

  public Decision decide(List<SetInfo> sets, Set<String> inUse, Instant now) {
    List<SetInfo> complete =
        sets.stream()
            .filter(SetInfo::complete)
            .sorted(Comparator.comparing(SetInfo::startedAt).reversed())
            .toList();
    Map<String, String> reasons = new LinkedHashMap<>();
    if (!complete.isEmpty()) {
      reasons.put(complete.get(0).setId(), "newest complete set");
    }
    keepPerPeriod(complete, hourly, "hourly", t -> t.truncatedTo(ChronoUnit.HOURS), reasons);
    keepPerPeriod(complete, daily, "daily", t -> t.truncatedTo(ChronoUnit.DAYS), reasons);
    keepPerPeriod(
        complete,
        weekly,
        "weekly",
        t -> {
          LocalDateTime d = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
          return d.get(IsoFields.WEEK_BASED_YEAR) * 100L + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        },
        reasons);
    keepPerPeriod(
        complete,
        monthly,
        "monthly",
        t -> {
          LocalDateTime d = LocalDateTime.ofInstant(t, ZoneOffset.UTC);
          return d.getYear() * 100L + d.getMonthValue();
        },
        reasons);
    for (SetInfo s : sets) {
      if (inUse.contains(s.setId())) {
        reasons.putIfAbsent(s.setId(), "in use by a failover or drill");
      } else if (!s.complete()
          && Duration.between(s.startedAt(), now).compareTo(incompleteGrace) < 0) {
        reasons.putIfAbsent(s.setId(), "incomplete but recent: may still be running");
      }
    }
    List<String> keep = new ArrayList<>();
    List<String> delete = new ArrayList<>();
    sets.stream()
        .sorted(Comparator.comparing(SetInfo::startedAt).reversed())
        .forEach(s -> (reasons.containsKey(s.setId()) ? keep : delete).add(s.setId()));
    return new Decision(keep, delete, reasons);
  }

  private static void keepPerPeriod(
      List<SetInfo> newestFirst,
      int count,
      String label,
      Function<Instant, Object> period,
      Map<String, String> reasons) {
    Set<Object> seen = new LinkedHashSet<>();
    for (SetInfo s : newestFirst) {
      if (seen.size() >= count) {
        return;
      }
      if (seen.add(period.apply(s.startedAt()))) {
        reasons.putIfAbsent(s.setId(), label);
      }
    }
  }
}
