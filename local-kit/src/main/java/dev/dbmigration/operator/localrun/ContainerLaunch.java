package dev.dbmigration.operator.localrun;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the process of a Job's container is: program and arguments, environment, working
 * directory. Worked out from the pod spec as the kubelet would, or refused with the reason.
 */
record ContainerLaunch(List<String> command, Map<String, String> environment, Path workingDir) {

  /**
   * @param baseEnvironment what every process gets; the container's own env wins over it, as it
   *     wins over an image's ENV
   */
  static ContainerLaunch of(PodSpec spec, Container container, EnvResolver resolver,
      ImageMapping images, Map<String, String> baseEnvironment) throws JobStartException {
    checkSupported(spec, container);
    return launch(container, resolver, images, baseEnvironment);
  }

  /** A native sidecar of the pod (an init container with restartPolicy Always). */
  static ContainerLaunch ofSidecar(Container container, EnvResolver resolver, ImageMapping images,
      Map<String, String> baseEnvironment) throws JobStartException {
    return launch(container, resolver, images, baseEnvironment);
  }

  private static ContainerLaunch launch(Container container, EnvResolver resolver,
      ImageMapping images, Map<String, String> baseEnvironment) throws JobStartException {
    Map<String, String> containerEnv = resolver.resolve(container.getEnv());
    Path workingDir = images.workingDirFor(container.getImage(), container.getWorkingDir());
    Map<String, String> environment = new LinkedHashMap<>(baseEnvironment);
    environment.putAll(containerEnv);

    List<String> declared = new ArrayList<>();
    boolean hasCommand = container.getCommand() != null && !container.getCommand().isEmpty();
    if (hasCommand) {
      declared.addAll(container.getCommand());
    } else {
      declared.addAll(images.entrypointFor(container.getImage()));
    }
    if (container.getArgs() != null) {
      declared.addAll(container.getArgs());
    }
    // Without a command the image's ENTRYPOINT would run, and a local directory has none
    // unless the mapping names one.
    if (!hasCommand && images.entrypointFor(container.getImage()).isEmpty()) {
      throw new JobStartException("container " + container.getName()
          + " has no command; the local job runner cannot use the image's entrypoint");
    }
    List<String> command = new ArrayList<>(EnvResolver.expandArgs(declared, containerEnv));
    // The message names the program as declared: expanded, it could hold a Secret's value.
    String program = ExecutableLookup.locate(command.get(0), environment.get("PATH"), workingDir)
        .orElseThrow(() -> new JobStartException("executable file \"" + declared.get(0)
            + "\" not found in $PATH"));
    command.set(0, program);
    return new ContainerLaunch(List.copyOf(command), environment, workingDir);
  }

  private static void checkSupported(PodSpec spec, Container container) throws JobStartException {
    if (spec.getContainers().size() != 1) {
      throw new JobStartException("the local job runner runs pods with exactly one container, not "
          + spec.getContainers().size());
    }
    if (spec.getInitContainers() != null && spec.getInitContainers().stream()
        .anyMatch(c -> !Sidecars.isSidecar(c))) {
      throw new JobStartException("init containers other than native sidecars (restartPolicy"
          + " Always) are not supported by the local job runner");
    }
    if (container.getEnvFrom() != null && !container.getEnvFrom().isEmpty()) {
      throw new JobStartException("envFrom is not supported by the local job runner");
    }
  }
}
