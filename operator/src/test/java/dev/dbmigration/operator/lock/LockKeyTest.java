package dev.dbmigration.operator.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LockKeyTest {

  /**
   * The value PostgreSQL 15 computed for database locktest with the README's SQL expression
   * ({@link LockKey#SQL_EXPRESSION_ALEMBIC}): the sidecar and an env.py agree on the key.
   */
  @Test
  void theKeyIsWhatTheDatabaseComputesFromItsOwnName() {
    assertThat(LockKey.of("locktest", "alembic_version")).isEqualTo(-8203502675493963976L);
  }

  @Test
  void theVersionTableAndTheDatabaseEachChangeTheKey() {
    assertThat(LockKey.of("app", "alembic_version"))
        .isNotEqualTo(LockKey.of("app", "flyway_schema_history"))
        .isNotEqualTo(LockKey.of("app2", "alembic_version"));
  }

  @Test
  void argumentsComeFromTheEnvironmentAndNeverPrintThePassword() {
    LockArguments args = LockArguments.parse(new String[] {"--version-table=alembic_version",
        "--ready-port=8543"}, Map.of(LockArguments.HOST, "10.0.0.5", LockArguments.PORT, "5432",
        LockArguments.DATABASE, "app", LockArguments.USER, "u", LockArguments.PASSWORD,
        "s3cret-pw"));
    assertThat(args.key()).isEqualTo(LockKey.of("app", "alembic_version"));
    assertThat(args.toString()).doesNotContain("s3cret-pw").contains("u@10.0.0.5:5432/app");
    assertThatThrownBy(() -> LockArguments.parse(new String[] {"--version-table=x;drop",
        "--ready-port=8543"}, Map.of())).hasMessageContaining("--version-table");
  }
}
