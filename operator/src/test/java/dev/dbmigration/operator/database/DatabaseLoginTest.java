package dev.dbmigration.operator.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseLoginTest {

  @Test
  void showsEverythingButThePassword() {
    DatabaseLogin login = new DatabaseLogin("10.0.0.1", 5432, "app", "migrator", "hunter22");

    assertThat(login).hasToString("migrator@10.0.0.1:5432/app");
    assertThat(login.toString()).doesNotContain("hunter22");
    assertThat(login.address()).isEqualTo("10.0.0.1:5432");
  }

  @Test
  void ipv6HostIsBracketed() {
    assertThat(new DatabaseLogin("fd00::1", 5432, "app", "u", "p").address())
        .isEqualTo("[fd00::1]:5432");
  }

  @Test
  void rejectsWhatCannotBeALogin() {
    assertThatThrownBy(() -> new DatabaseLogin(" ", 5432, "app", "u", "p"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DatabaseLogin("db", 0, "app", "u", "p"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DatabaseLogin("db", 65536, "app", "u", "p"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DatabaseLogin("db", 5432, null, "u", "p"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new DatabaseLogin("db", 5432, "app", "", "p"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
