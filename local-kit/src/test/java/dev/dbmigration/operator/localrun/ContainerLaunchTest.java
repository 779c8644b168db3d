package dev.dbmigration.operator.localrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLaunchTest {

  static final String IMAGE = "registry.example/wps-api:pr-1234";
  static final String PASSWORD = "s3cr3t;$(x)";

  @TempDir
  Path tmp;
  Path root;
  Path bin;
  ImageMapping images;
  final EnvResolver resolver = new EnvResolver(
      (name, key) -> "creds".equals(name) && "password".equals(key)
          ? Optional.of(PASSWORD) : Optional.empty(), "pod-x1", "ns");

  @BeforeEach
  void layout() throws Exception {
    root = Files.createDirectories(tmp.resolve("image/app/bootstrap")).getParent().getParent();
    bin = Files.createDirectories(tmp.resolve("bin"));
    Path tool = Files.writeString(bin.resolve("alembic"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(bin.resolve("not-executable"), "");
    images = ImageMapping.of(Map.of(IMAGE, root));
  }

  ContainerBuilder container() {
    return new ContainerBuilder().withName("migrate").withImage(IMAGE)
        .withWorkingDir("/app/bootstrap")
        .withCommand("alembic", "upgrade", "$(TARGET)")
        .addNewEnv().withName("TARGET").withValue("head").endEnv()
        .addNewEnv().withName("PW").withNewValueFrom().withNewSecretKeyRef().withName("creds")
        .withKey("password").endSecretKeyRef().endValueFrom().endEnv();
  }

  ContainerLaunch launch(Container container) throws JobStartException {
    PodSpec spec = new PodSpecBuilder().withContainers(container).build();
    return ContainerLaunch.of(spec, container, resolver, images,
        Map.of("PATH", bin.toString(), "HOME", "/home/me", "TARGET", "base"));
  }

  @Test
  void findsTheProgramOnTheProcessesPathAndExpandsTheArguments() throws JobStartException {
    ContainerLaunch launch = launch(container().withArgs("--sql", "$(PW)").build());

    assertThat(launch.command())
        .containsExactly(bin.resolve("alembic").toString(), "upgrade", "head", "--sql", PASSWORD);
    assertThat(launch.workingDir()).isEqualTo(root.resolve("app/bootstrap"));
  }

  @Test
  void theContainersEnvWinsOverTheBaseEnvironment() throws JobStartException {
    ContainerLaunch launch = launch(container().build());

    assertThat(launch.environment()).containsEntry("TARGET", "head")
        .containsEntry("HOME", "/home/me").containsEntry("PW", PASSWORD);
  }

  @Test
  void aProgramWithASlashIsTakenAsAPath() throws JobStartException {
    ContainerLaunch launch = launch(container().withCommand("/usr/bin/python3", "x.py").build());

    assertThat(launch.command()).containsExactly("/usr/bin/python3", "x.py");
  }

  @Test
  void aProgramNotOnThePathIsRefusedAsDeclared() {
    assertThatThrownBy(() -> launch(container().withCommand("$(PW)").build()))
        .isInstanceOf(JobStartException.class)
        .hasMessageContaining("\"$(PW)\" not found")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
    assertThatThrownBy(() -> launch(container().withCommand("not-executable").build()))
        .isInstanceOf(JobStartException.class);
  }

  @Test
  void withoutACommandTheEntrypointIsUnknown() {
    assertThatThrownBy(() -> launch(container().withCommand().withArgs("upgrade").build()))
        .isInstanceOf(JobStartException.class).hasMessageContaining("no command");
  }

  @Test
  void onlySingleContainerPodsAreSupported() {
    Container container = container().build();
    PodSpec spec = new PodSpecBuilder().withContainers(container, container().withName("side")
        .build()).build();

    assertThatThrownBy(() -> ContainerLaunch.of(spec, container, resolver, images, Map.of()))
        .isInstanceOf(JobStartException.class).hasMessageContaining("one container");
  }

  @Test
  void envFromIsRefused() {
    Container container = container().addNewEnvFrom().withNewSecretRef("creds", false)
        .endEnvFrom().build();

    assertThatThrownBy(() -> launch(container))
        .isInstanceOf(JobStartException.class).hasMessageContaining("envFrom");
  }
}
