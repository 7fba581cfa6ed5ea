package io.zoneguard.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The README's first command must keep working: run the demo and check what it shows. */
class DemoIT {
  @Test
  void demoRunsTheCycleAndShowsTheLostZone() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = Demo.run(new PrintWriter(out, true), new PrintWriter(err, true));

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("STATEFULSET shop/mysql  ready 3/3  protected")
        .containsPattern("us-east-1b\\s+available\\s+0\\s+2\\s+DOWN")
        .contains("zoneguard status -n shop (zone b down)   exit 0 ok")
        .contains("zoneguard backup run (dump + 3 snapshots) exit 0 ok")
        .contains("zoneguard failover plan                  exit 0 ok")
        .containsPattern("data-mysql-1\\s+vol-\\w+\\s+us-east-1b\\s+snap-\\w+")
        .contains("zoneguard failover apply                 exit 0 ok")
        .contains("zoneguard failback apply                 exit 0 ok")
        .contains("zoneguard drill run                      exit 0 ok")
        .containsPattern("DRILL dr-[0-9a-f-]+  shop/mysql  set \\S+  PASSED")
        .containsPattern("FAILBACK fb-[0-9a-f-]+  shop/mysql");
    assertThat(err.toString()).contains("[9/9] wait-ready", "[13/13] wait-ready", "release-claims");
  }
}
