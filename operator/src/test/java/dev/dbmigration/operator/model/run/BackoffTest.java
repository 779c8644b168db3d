package dev.dbmigration.operator.model.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(60));

  @Test
  void doublesAfterEachFailureUpToTheCap() {
    assertThat(backoff.afterFailures(1)).hasSeconds(10);
    assertThat(backoff.afterFailures(2)).hasSeconds(20);
    assertThat(backoff.afterFailures(3)).hasSeconds(40);
    assertThat(backoff.afterFailures(4)).hasSeconds(60);
    assertThat(backoff.afterFailures(1000)).hasSeconds(60);
  }

  @Test
  void aLongerWaitIsCheckedLessOften() {
    assertThat(backoff.afterWaiting(Duration.ZERO)).hasSeconds(10);
    assertThat(backoff.afterWaiting(Duration.ofSeconds(25))).hasSeconds(25);
    assertThat(backoff.afterWaiting(Duration.ofHours(3))).hasSeconds(60);
  }

  @Test
  void refusesACapBelowTheBase() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
