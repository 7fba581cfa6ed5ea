package io.zoneguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The README's first command must keep working: run the demo on the simulated controllers and check
 * what it shows and that the simulation's invariants held throughout.
 */
class DemoIT {
  @Test
  void demoRunsTheCycleOnTheSimulatedControllersAndShowsTheLostZone() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    Demo.Outcome outcome =
        Demo.run(new PrintWriter(out, true), new PrintWriter(err, true), Demo.seed(new String[0]));

    assertThat(outcome.violations()).as(out.toString()).isEmpty();
    assertThat(outcome.exit()).as(err.toString() + out).isZero();
    assertThat(out.toString())
        .contains("The Kubernetes controllers are SIMULATED")
        .contains("StatefulSet controller, PV binder and EBS CSI provisioner, scheduler")
        .contains("STATEFULSET shop/mysql  ready 3/3  protected")
        .containsPattern("us-east-1b\\s+available\\s+0\\s+2\\s+DOWN")
        .contains("zoneguard status -n shop (zone b down)   exit 0 ok")
        .contains("zoneguard backup run (dump + 3 snapshots) exit 0 ok")
        .contains("zoneguard failover plan                  exit 0 ok")
        // which replica lives in zone b is the simulated scheduler's choice
        .containsPattern("data-mysql-\\d\\s+vol-\\w+\\s+us-east-1b\\s+snap-\\w+")
        .contains("zoneguard failover apply                 exit 0 ok")
        // the plan says what a failover without a rate means, and what the chosen rate buys
        .contains("hydration: EBS default initialization")
        .containsPattern("hydration: provisioned 200 MiB/s: full speed within ~\\d+[smh]")
        .contains("zoneguard failback apply                 exit 0 ok")
        .contains("zoneguard drill run                      exit 0 ok")
        .containsPattern("DRILL dr-[0-9a-f-]+  shop/mysql  set \\S+  PASSED")
        .containsPattern("FAILBACK fb-[0-9a-f-]+  shop/mysql")
        .contains("all hold");
    assertThat(err.toString())
        .contains("[9/9] wait-ready", "[13/13] wait-ready", "release-claims")
        .containsPattern(
            "creating vol-\\w+ in us-east-1c from snap-\\w+, initialized at 200 MiB/s");
  }

  @Test
  void aSeedThatIsNotANumberIsRefusedWithUsage() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Demo.seed(new String[] {"--seed", "x; rm"}))
        .hasMessageStartingWith("usage: zoneguard demo [--seed N]");
    assertThat(Demo.seed(new String[] {"--seed", "7"})).isEqualTo(7);
  }
}
