package dev.dbmigration.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
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

  @Test
  void defaultsWatchEverythingWithoutLeaderElection() {
    OperatorSettings settings = OperatorSettings.parse(new String[0], Map.of());

    assertThat(settings.watchesAllNamespaces()).isTrue();
    assertThat(settings.healthPort()).isEqualTo(8081);
    assertThat(settings.metricsPort()).isEqualTo(8080);
    assertThat(settings.leaderElection()).isNull();
  }

  @Test
  void inAPodTheLeaseIsInThePodsNamespaceAndTheIdentityIsThePodsName() {
    OperatorSettings settings = OperatorSettings.parse(new String[0], Map.of(
        "LEADER_ELECTION", "true", "POD_NAME", "dmo-7d9f-abcde", "POD_NAMESPACE", "dmo-system",
        "HOSTNAME", "ignored", "METRICS_PORT", "9090", "WATCH_NAMESPACES", "a, b"));

    assertThat(settings.namespaces()).isEqualTo(Set.of("a", "b"));
    assertThat(settings.metricsPort()).isEqualTo(9090);
    assertThat(settings.leaderElection()).isEqualTo(LeaderElectionSettings.of(
        "database-migration-operator", "dmo-system", "dmo-7d9f-abcde"));
  }

  @Test
  void flagsWinOverTheEnvironment() {
    OperatorSettings settings = OperatorSettings.parse(
        new String[] {"--metrics-port=0", "--leader-election"},
        Map.of("METRICS_PORT", "9090", "LEADER_ELECTION", "false", "HOSTNAME", "laptop",
            "LEADER_ELECTION_LEASE", "my-lease"));

    assertThat(settings.metricsPort()).isZero();
    assertThat(settings.leaderElection().identity()).isEqualTo("laptop");
    assertThat(settings.leaderElection().leaseName()).isEqualTo("my-lease");
    assertThat(settings.leaderElection().namespace()).as("the client's namespace").isNull();
  }

  @Test
  void mistakesStopTheProcessWithTheReason() {
    assertThatThrownBy(() -> OperatorSettings.parse(new String[0], Map.of("LOG_FORMAT", "jsn")))
        .hasMessageContaining("LOG_FORMAT must be text or json");
    assertThatThrownBy(() -> OperatorSettings.parse(new String[0],
        Map.of("LEADER_ELECTION", "yes"))).hasMessageContaining("LEADER_ELECTION");
    assertThatThrownBy(() -> OperatorSettings.parse(new String[0],
        Map.of("METRICS_PORT", "8081"))).hasMessageContaining("both 8081");
    assertThatThrownBy(() -> OperatorSettings.parse(new String[] {"--metrics-port=x"}, Map.of()))
        .hasMessageContaining("metrics port is not a number");
    assertThat(OperatorSettings.parse(new String[0], Map.of("LOG_FORMAT", "json"))).isNotNull();
  }
}
