package io.zoneguard.testing;

import io.zoneguard.domain.FailoverPlan;
import io.zoneguard.domain.FailoverPlan.PlannedVolume;
import java.util.List;

/** Plans and planned moves for tests: a 10 GiB gp3 replica of StatefulSet mysql in shop. */
public final class Plans {
  private Plans() {}

  /** Replica {@code ordinal} moving from {@code oldPv}/{@code oldVolume} to {@code target}. */
  public static PlannedVolume move(
      int ordinal, String oldVolume, String oldZone, String oldPv, String target) {
    return new PlannedVolume(
        "data-mysql-" + ordinal,
        ordinal,
        oldVolume,
        oldZone,
        oldPv,
        "snap-" + ordinal,
        "t",
        60,
        target,
        10,
        "gp3",
        3000,
        125,
        true,
        null,
        "gp3",
        "ext4",
        List.of("ReadWriteOnce"),
        "set-1");
  }

  /** A failback of shop/mysql to {@code home} with these moves, steps and notes. */
  public static FailoverPlan failback(
      String home, List<PlannedVolume> moves, List<FailoverPlan.Step> steps, List<String> notes) {
    return new FailoverPlan(
        FailoverPlan.FAILBACK,
        "shop",
        "mysql",
        home,
        "failed over by fo-1",
        List.of(home),
        moves,
        List.of(),
        steps,
        List.of(),
        notes);
  }
}
