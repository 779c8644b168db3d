package dev.dbmigration.operator.waiting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaitArgumentsTest {

  @TempDir
  Path dir;

  @Test
  void takesTheNamespaceFromThePod() throws Exception {
    Path file = Files.writeString(dir.resolve("namespace"), "wps-pr-1234\n");

    assertThat(WaitArguments.parse(new String[] {"wps-api"}, Map.of(), file))
        .isEqualTo(new WaitArguments("wps-api", "wps-pr-1234", null, null));
    assertThat(WaitArguments.parse(new String[] {"wps-api", "--timeout=30m"},
        Map.of("POD_NAMESPACE", "from-env"), file))
        .isEqualTo(new WaitArguments("wps-api", "from-env", Duration.ofMinutes(30), null));
    assertThat(WaitArguments.parse(new String[] {"--namespace=x", "wps-api", "--timeout=90s"},
        Map.of("POD_NAMESPACE", "from-env"), file))
        .isEqualTo(new WaitArguments("wps-api", "x", Duration.ofSeconds(90), null));
    assertThat(WaitArguments.parse(new String[] {"wps-api", "--image=registry.example/app:2"},
        Map.of("POD_NAMESPACE", "ns"), file).image()).isEqualTo("registry.example/app:2");
    assertThat(WaitArguments.parse(new String[] {"wps-api"},
        Map.of("POD_NAMESPACE", "ns", "MIGRATION_IMAGE", "registry.example/app:3"), file).image())
        .isEqualTo("registry.example/app:3");
  }

  @Test
  void refusesWhatItCannotUse() {
    Path none = dir.resolve("absent");
    assertThatThrownBy(() -> WaitArguments.parse(new String[] {}, Map.of(), none))
        .hasMessageContaining("name is required");
    assertThatThrownBy(() -> WaitArguments.parse(new String[] {"$(id)"}, Map.of(), none))
        .hasMessageContaining("name is required");
    assertThatThrownBy(() -> WaitArguments.parse(new String[] {"wps-api"}, Map.of(), none))
        .hasMessageContaining("no namespace");
    assertThatThrownBy(() -> WaitArguments.parse(new String[] {"a", "--timeout=-1s"},
        Map.of("POD_NAMESPACE", "n"), none)).hasMessageContaining("--timeout");
    assertThatThrownBy(() -> WaitArguments.parse(new String[] {"a", "b"},
        Map.of("POD_NAMESPACE", "n"), none)).hasMessageContaining("unexpected argument b");
  }
}
