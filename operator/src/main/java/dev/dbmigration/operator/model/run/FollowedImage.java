package dev.dbmigration.operator.model.run;

import dev.dbmigration.operator.api.v1alpha1.ImageSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.List;
import java.util.stream.Collectors;

/** The image a resource with {@code imageFrom} runs: the named container's, in the workload. */
public sealed interface FollowedImage {

  record Found(String image) implements FollowedImage {
  }

  /** The workload or its container is not there (yet): the run waits for it, it does not fail. */
  record Missing(String message) implements FollowedImage {
  }

  /**
   * @param template the workload's pod template, null when the workload does not exist
   */
  static FollowedImage of(ImageSource source, PodTemplateSpec template) {
    String workload = source.getKind() + " " + source.getName();
    if (template == null) {
      return new Missing(workload + " (imageFrom) does not exist in this namespace");
    }
    List<Container> containers = template.getSpec() == null || template.getSpec().getContainers() == null
        ? List.of() : template.getSpec().getContainers();
    for (Container container : containers) {
      if (source.getContainer().equals(container.getName())) {
        String image = container.getImage();
        if (image == null || image.isBlank()) {
          return new Missing(workload + " container " + source.getContainer() + " has no image");
        }
        return new Found(image);
      }
    }
    return new Missing(workload + " has no container named " + source.getContainer()
        + " (it has: " + containers.stream().map(Container::getName).collect(Collectors.joining(", "))
        + ")");
  }
}
