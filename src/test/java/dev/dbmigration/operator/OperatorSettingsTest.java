package dev.dbmigration.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void theDatabaseIsRequiredAndTheBackoffIsTenSecondsByDefault() {
    OperatorSettings settings = OperatorSettings.parse(new String[0], Map.of());

    assertThat(settings.databaseCheck()).isEqualTo(DatabaseCheckMode.REQUIRED);
    assertThat(settings.backoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.watchesAllNamespaces()).isTrue();
  }

  @Test
  void theEnvironmentSetsThemAndFlagsWin() {
    OperatorSettings fromEnv = OperatorSettings.parse(new String[0],
        Map.of("DATABASE_CHECK", "best-effort", "BACKOFF_SECONDS", "3"));
    assertThat(fromEnv.databaseCheck()).isEqualTo(DatabaseCheckMode.BEST_EFFORT);
    assertThat(fromEnv.backoff()).isEqualTo(Duration.ofSeconds(3));

    OperatorSettings flags = OperatorSettings.parse(
        new String[] {"--database-check=required", "--backoff-seconds=1"},
        Map.of("DATABASE_CHECK", "best-effort"));
    assertThat(flags.databaseCheck()).isEqualTo(DatabaseCheckMode.REQUIRED);
    assertThat(flags.backoff()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aWrongValueIsRefusedWithTheChoices() {
    assertThatThrownBy(() -> OperatorSettings.parse(new String[0],
        Map.of("DATABASE_CHECK", "sometimes")))
        .hasMessageContaining("required or best-effort");
    assertThatThrownBy(() -> OperatorSettings.parse(new String[] {"--backoff-seconds=0"},
        Map.of())).hasMessageContaining("at least 1");
  }
}
