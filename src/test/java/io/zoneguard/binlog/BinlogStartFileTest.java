package io.zoneguard.binlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zoneguard.domain.ExitCode;
import io.zoneguard.domain.ZoneguardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a binlog stream starts, and when the server's logs no longer continue the archive. */
class BinlogStartFileTest {
  private final List<String> gaps = new ArrayList<>();
  private final List<String> said = new ArrayList<>();

  private String start(Optional<String> resume, String... onServer) {
    return BinlogArchiveService.startFile(resume, List.of(onServer), gaps, said::add);
  }

  @Test
  void nothingArchivedStartsAtTheServersOldestFile() {
    assertThat(start(Optional.empty(), "binlog.000003", "binlog.000004"))
        .isEqualTo("binlog.000003");
    assertThat(gaps).isEmpty();
  }

  @Test
  void theArchiveContinuesWhereItEnds() {
    assertThat(start(Optional.of("binlog.000004"), "binlog.000003", "binlog.000004"))
        .isEqualTo("binlog.000004");
    assertThat(gaps).isEmpty();
  }

  @Test
  void aFilePurgedBeforeItWasArchivedIsAGapAndArchivingGoesOn() {
    assertThat(start(Optional.of("binlog.000004"), "binlog.000006", "binlog.000007"))
        .isEqualTo("binlog.000006");
    assertThat(gaps).containsExactly("binlog.000004 up to binlog.000006 (purged before archived)");
    assertThat(said).anyMatch(l -> l.startsWith("GAP: binary logs binlog.000004"));
  }

  @Test
  void logsThatRestartedBelowTheArchiveAreRefused() {
    assertThatThrownBy(() -> start(Optional.of("binlog.000009"), "binlog.000001"))
        .isInstanceOf(ZoneguardException.class)
        .hasMessageContaining("RESET MASTER, or another server?")
        .extracting(e -> ((ZoneguardException) e).exitCode())
        .isEqualTo(ExitCode.REFUSED_UNSAFE);
  }
}
