package dev.dbmigration.operator.localrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageMappingTest {

  static final String IMAGE = "registry.example/wps-api:pr-1234";

  @TempDir
  Path tmp;
  Path checkout;
  Path fallback;

  @BeforeEach
  void directories() throws IOException {
    checkout = Files.createDirectories(tmp.resolve("wps-api"));
    Files.createDirectories(checkout.resolve("app/bootstrap"));
    fallback = Files.createDirectories(tmp.resolve("fallback"));
  }

  @Test
  void usesTheJobsWorkingDirInsideTheMappedRoot() throws JobStartException {
    ImageMapping images = ImageMapping.of(Map.of(IMAGE, checkout));

    assertThat(images.workingDirFor(IMAGE, "/app/bootstrap"))
        .isEqualTo(checkout.resolve("app/bootstrap"));
  }

  @Test
  void fallsBackToTheRootWhenTheWorkingDirIsNotThere() throws JobStartException {
    ImageMapping images = ImageMapping.of(Map.of(IMAGE, checkout));

    assertThat(images.workingDirFor(IMAGE, "/srv/elsewhere")).isEqualTo(checkout);
  }

  @Test
  void fallsBackToTheRootWhenTheWorkingDirIsAFile() throws Exception {
    Files.writeString(checkout.resolve("app/file"), "x");
    ImageMapping images = ImageMapping.of(Map.of(IMAGE, checkout));

    assertThat(images.workingDirFor(IMAGE, "/app/file")).isEqualTo(checkout);
  }

  @Test
  void usesTheRootWithoutAWorkingDir() throws JobStartException {
    ImageMapping images = ImageMapping.of(Map.of(IMAGE, checkout));

    assertThat(images.workingDirFor(IMAGE, null)).isEqualTo(checkout);
    assertThat(images.workingDirFor(IMAGE, "")).isEqualTo(checkout);
    assertThat(images.workingDirFor(IMAGE, "/")).isEqualTo(checkout);
  }

  @Test
  void aWorkingDirCannotLeadOutOfTheRoot() throws JobStartException {
    ImageMapping images = ImageMapping.of(Map.of(IMAGE, checkout));

    assertThat(images.workingDirFor(IMAGE, "/../fallback")).isEqualTo(checkout);
    assertThat(images.workingDirFor(IMAGE, "/app/../../fallback")).isEqualTo(checkout);
  }

  @Test
  void aRelativeRootIsMadeAbsolute() throws JobStartException {
    Path relative = Path.of("").toAbsolutePath().relativize(checkout);
    ImageMapping images = ImageMapping.of(Map.of(IMAGE, relative));

    assertThat(images.workingDirFor(IMAGE, "/app/bootstrap"))
        .isEqualTo(checkout.resolve("app/bootstrap"));
  }

  @Test
  void matchesTheImageReferenceExactly() {
    ImageMapping images = ImageMapping.of(Map.of(IMAGE, checkout));

    assertThatThrownBy(() -> images.rootFor("registry.example/wps-api:pr-1235"))
        .isInstanceOf(JobStartException.class)
        .hasMessageContaining("registry.example/wps-api:pr-1235");
  }

  @Test
  void usesTheDefaultForOtherImages() throws JobStartException {
    ImageMapping images = new ImageMapping(Map.of(IMAGE, checkout), fallback);

    assertThat(images.workingDirFor("other:1", "/app/bootstrap")).isEqualTo(fallback);
    assertThat(images.workingDirFor(IMAGE, "/app/bootstrap"))
        .isEqualTo(checkout.resolve("app/bootstrap"));
  }

  @Test
  void allToMapsEveryImage() throws JobStartException {
    assertThat(ImageMapping.allTo(checkout).workingDirFor("any:latest", "/app/bootstrap"))
        .isEqualTo(checkout.resolve("app/bootstrap"));
  }

  @Test
  void anUnmappedImageWithoutDefaultIsRefusedByName() {
    ImageMapping images = ImageMapping.of(Map.of(IMAGE, checkout));

    assertThatThrownBy(() -> images.workingDirFor("ghcr.io/acme/unknown:7", "/app"))
        .isInstanceOf(JobStartException.class)
        .hasMessageContaining("ghcr.io/acme/unknown:7")
        .hasMessageContaining("not mapped");
  }

  @Test
  void aMissingRootDirectoryIsRefused() {
    Path gone = tmp.resolve("gone");
    ImageMapping images = ImageMapping.of(Map.of(IMAGE, gone));

    assertThatThrownBy(() -> images.workingDirFor(IMAGE, "/app"))
        .isInstanceOf(JobStartException.class)
        .hasMessageContaining(gone.toString())
        .hasMessageContaining(IMAGE);
  }
}
