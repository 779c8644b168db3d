package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.testing.Directories;
import dev.dbmigration.operator.testing.GoTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bundle/ checked by the Operator Framework's own validators (github.com/operator-framework/api,
 * built by hack/go-tools/build.sh olm-validate): the defaults of `operator-sdk bundle validate`
 * and the optional ones that need no registry, warnings failing too; and proof that a broken
 * bundle is rejected.
 */
class OlmBundleIT {

  static final String CSV = OlmBundle.CSV_FILE;

  GoTool validator;
  Path copy;

  @BeforeEach
  void findTheValidator() {
    validator = GoTool.require("olm-validate");
  }

  @AfterEach
  void removeTheCopy() throws IOException {
    if (copy != null) {
      Directories.delete(copy.getParent());
    }
  }

  @Test
  void theBundlePassesEveryValidatorWithoutAWarning() {
    GoTool.Run run = validator.run(Path.of("."), "-strict", "bundle");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("package \"database-migration-operator\", channels [candidate]")
        .contains("olm-validate: 0 error(s), 0 warning(s) from 9 validators");
    for (String v : new String[] {"ClusterServiceVersion", "CustomResourceDefinition", "Bundle",
        "OperatorHubV2", "StandardCapabilities", "StandardCategories", "Object",
        "GoodPractices", "AlphaDeprecatedAPIs"}) {
      assertThat(run.output()).contains("validator " + v + ": passed");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "owned CRD version not in the bundle | version: v1alpha1\\n        kind: DatabaseMigration"
          + " | version: v1beta1\\n        kind: DatabaseMigration"
          + " | owned CRD \"dbmigration.dev/v1beta1, Kind=DatabaseMigration\" not found in bundle",
      "alm-examples not JSON | \"kind\" : \"DatabaseMigration\", | \"kind\" : \"DatabaseMigration\""
          + " | ERROR ClusterServiceVersion",
      "an example of a kind the bundle does not own | \"kind\" : \"DatabaseMigration\","
          + " | \"kind\" : \"DatabaseMigrations\", | example must have a provided API",
      "minKubeVersion not a version | minKubeVersion: 1.25.0 | minKubeVersion: 1.25"
          + " | csv.Spec.MinKubeVersion has an invalid value",
      "no install modes | installModes: | removedInstallModes: | install modes not found",
  })
  void aBrokenCsvIsRejected(String what, String right, String wrong, String error)
      throws IOException {
    copy = copyOfTheBundle();
    Path csv = copy.resolve(CSV);
    String text = Files.readString(csv);
    String from = right.replace("\\n", "\n");
    assertThat(text).as("the CSV has %s", right).contains(from);
    Files.writeString(csv, text.replaceFirst(Pattern.quote(from), wrong.replace("\\n", "\n")));

    // (Not ".": the upstream loader skips every directory whose name starts with a dot.)
    GoTool.Run run = validator.run(copy.getParent(), "bundle");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains(error);
  }

  @Test
  void aBundleWithoutItsCrdIsRejected() throws IOException {
    copy = copyOfTheBundle();
    Files.delete(copy.resolve(OlmBundle.CRD_FILE));

    // (Not ".": the upstream loader skips every directory whose name starts with a dot.)
    GoTool.Run run = validator.run(copy.getParent(), "bundle");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("owned CRD \"dbmigration.dev/v1alpha1, "
        + "Kind=DatabaseMigration\" not found in bundle");
  }

  private static Path copyOfTheBundle() throws IOException {
    Path dir = Files.createTempDirectory("olm-bundle").resolve("bundle");
    Directories.copy(OlmBundle.DIR, dir);
    return dir;
  }
}
