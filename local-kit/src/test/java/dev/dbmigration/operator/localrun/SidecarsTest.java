package dev.dbmigration.operator.localrun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SidecarsTest {

  @Test
  void aSidecarListensOnAPortOfItsOwnWhereItsArgumentsNameTheProbedOne() {
    ContainerLaunch asked = new ContainerLaunch(List.of("java", "-jar", "operator.jar", "lock",
        "--ready-port=8543", "--port", "8543", "--database-port=5432", "18543"),
        Map.of("PORT", "8543"), Path.of("/app"));

    ContainerLaunch own = Sidecars.onPort(asked, 8543, 40001);

    assertThat(own.command()).containsExactly("java", "-jar", "operator.jar", "lock",
        "--ready-port=40001", "--port", "40001", "--database-port=5432", "18543");
    assertThat(own.environment()).isEqualTo(asked.environment());
    assertThat(own.workingDir()).isEqualTo(asked.workingDir());
  }
}
