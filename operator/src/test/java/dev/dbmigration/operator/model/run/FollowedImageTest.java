package dev.dbmigration.operator.model.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.ImageSource;
import dev.dbmigration.operator.api.v1alpha1.WorkloadKind;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import org.junit.jupiter.api.Test;

class FollowedImageTest {

  private static final ImageSource API = new ImageSource(WorkloadKind.Deployment, "wps-api", "api");

  @Test
  void takesTheNamedContainersImage() {
    assertThat(FollowedImage.of(API, template("sidecar", "proxy:1", "api", "app:pr-7")))
        .isEqualTo(new FollowedImage.Found("app:pr-7"));
  }

  @Test
  void aMissingWorkloadWaitsAndSaysWhichOne() {
    assertThat(FollowedImage.of(API, null)).isInstanceOfSatisfying(FollowedImage.Missing.class,
        m -> assertThat(m.message()).contains("Deployment wps-api").contains("does not exist"));
  }

  @Test
  void aMissingContainerNamesTheOnesThatExist() {
    assertThat(FollowedImage.of(API, template("web", "app:1", "worker", "app:1")))
        .isInstanceOfSatisfying(FollowedImage.Missing.class,
            m -> assertThat(m.message()).contains("no container named api").contains("web, worker"));
  }

  private static PodTemplateSpec template(String c1, String i1, String c2, String i2) {
    return new PodTemplateSpecBuilder().withNewSpec()
        .addNewContainer().withName(c1).withImage(i1).endContainer()
        .addNewContainer().withName(c2).withImage(i2).endContainer()
        .endSpec().build();
  }
}
