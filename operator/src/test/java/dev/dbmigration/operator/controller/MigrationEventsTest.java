package dev.dbmigration.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MigrationEventsTest {

  @Test
  void aShortMessageIsKeptAsItIs() {
    assertThat(MigrationEvents.fit("Job x completed")).isEqualTo("Job x completed");
  }

  @Test
  void aLongFailureKeepsItsSummaryLineAndTheErrorAtTheEnd() {
    String message = "Job app-g1 failed (BackoffLimitExceeded); output:\n"
        + "Traceback line\n".repeat(200) + "RuntimeError: boom";

    String fitted = MigrationEvents.fit(message);

    assertThat(fitted).hasSize(1024)
        .startsWith("Job app-g1 failed (BackoffLimitExceeded); output:\n…\n")
        .endsWith("RuntimeError: boom");
  }

  @Test
  void aLongFirstLineIsCut() {
    String fitted = MigrationEvents.fit("x".repeat(5000));

    assertThat(fitted).hasSize(1024).startsWith("x".repeat(200) + "\n…\n");
  }
}
