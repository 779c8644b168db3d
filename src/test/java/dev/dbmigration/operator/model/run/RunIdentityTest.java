package dev.dbmigration.operator.model.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.testing.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunIdentityTest {

  @Test
  void suspendAloneDoesNotChangeWhatARunAnswers() {
    DatabaseMigration running = Fixtures.migration("ns", "wps-api");
    DatabaseMigration paused = Fixtures.migration("ns", "wps-api");
    paused.getSpec().setSuspend(true);

    assertThat(RunIdentity.of(paused, null)).isEqualTo(RunIdentity.of(running, null));
  }

  @Test
  void targetRerunTokenAndFollowedImageDo() {
    DatabaseMigration base = Fixtures.migration("ns", "wps-api");
    DatabaseMigration otherTarget = Fixtures.migration("ns", "wps-api");
    otherTarget.getSpec().setTarget("+1");
    DatabaseMigration rerun = Fixtures.migration("ns", "wps-api");
    rerun.getMetadata().setAnnotations(Map.of(DatabaseMigration.RERUN_ANNOTATION, "2"));

    String identity = RunIdentity.of(base, null);
    assertThat(RunIdentity.of(otherTarget, null)).isNotEqualTo(identity);
    assertThat(RunIdentity.of(rerun, null)).isNotEqualTo(identity);
    assertThat(RunIdentity.of(base, "app:v2")).isNotEqualTo(identity)
        .isNotEqualTo(RunIdentity.of(base, "app:v3"));
  }
}
