package io.zoneguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zoneguard.testing.Cli;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --initialization-rate} outside EC2's 100-300 MiB/s is refused with one line and exit 2
 * before zoneguard talks to AWS or Kubernetes: the environment points both at addresses where
 * nothing listens, so any call would end in a different (connection) error.
 */
class InitializationRateTest {
  private static final Map<String, String> NOWHERE =
      Map.of(
          "ZONEGUARD_AWS_ENDPOINT", "http://127.0.0.1:9",
          "ZONEGUARD_AWS_REGION", "us-east-1",
          "ZONEGUARD_BUCKET", "b",
          "KUBECONFIG", "/nonexistent/kubeconfig");

  private static final List<List<String>> COMMANDS =
      List.of(
          List.of("failover", "plan"),
          List.of("failover", "apply", "--yes"),
          List.of("failback", "plan"),
          List.of("failback", "apply", "--yes"),
          List.of("drill", "run", "--db-host", "127.0.0.1"));

  @Test
  void aRateOutsideEc2sRangeIsAOneLineUsageErrorBeforeAnyCall() {
    for (List<String> command : COMMANDS) {
      for (String rate : List.of("50", "301")) {
        String[] args =
            java.util.stream.Stream.concat(
                    command.stream(),
                    java.util.stream.Stream.of(
                        "-n", "shop", "--statefulset", "mysql", "--initialization-rate", rate))
                .toArray(String[]::new);
        Cli.Result r = Cli.run(NOWHERE, args);
        assertThat(r.exit()).as(String.join(" ", command)).isEqualTo(2);
        assertThat(r.err().strip())
            .as(String.join(" ", command))
            .isEqualTo(
                "zoneguard: --initialization-rate must be between 100 and 300 MiB/s (EBS"
                    + " Provisioned Rate for Volume Initialization), got "
                    + rate)
            .doesNotContain("\n");
        assertThat(r.out()).isEmpty();
      }
    }
  }

  @Test
  void helpTeachesTheRateAndItsCost() {
    Cli.Result r = Cli.run(NOWHERE, "failover", "apply", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--initialization-rate=MiB/s").contains("100-300 MiB/s");
  }
}
