package dev.dbmigration.operator.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.testing.Directories;
import dev.dbmigration.operator.testing.GoTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart's alert rules checked by Prometheus' own promtool (built from the Prometheus Go
 * module by hack/go-tools/build.sh): {@code promtool check rules} on the rule file the chart
 * renders, {@code promtool test rules} on its unit tests, and proof that both can fail.
 */
class AlertRulesIT {

  GoTool promtool;
  Path dir;

  @BeforeEach
  void renderRulesBesideTheirTests() throws IOException {
    promtool = GoTool.require("promtool");
    dir = Files.createTempDirectory("alert-rules");
    Files.writeString(dir.resolve(AlertRules.RULE_FILE), AlertRules.ruleFile());
    Files.copy(AlertRules.TESTS, dir.resolve(AlertRules.TESTS.getFileName()));
  }

  @AfterEach
  void removeThem() throws IOException {
    if (dir != null) {
      Directories.delete(dir);
    }
  }

  @Test
  void promtoolChecksTheChartsRules() {
    GoTool.Run check = promtool.run(dir, "check", "rules", AlertRules.RULE_FILE);

    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 6 rules found");
  }

  @Test
  void promtoolsUnitTestsOfTheRulesPass() {
    GoTool.Run test = promtool.run(dir, "test", "rules", tests());

    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  /** A test that cannot fail proves nothing: each wrong expectation makes promtool fail. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "the failed migration's namespace | namespace: wps-pr-1234 | namespace: wps-pr-9999",
      "the severity | severity: critical | severity: page",
      "an alert before its for: has passed | eval_time: 16m | eval_time: 14m",
  })
  void aWrongExpectationFailsTheTest(String what, String right, String wrong) throws IOException {
    Path tests = dir.resolve(tests());
    String original = Files.readString(tests);
    assertThat(original).as("the test file has %s", right).contains(right);
    Files.writeString(tests, original.replaceFirst(java.util.regex.Pattern.quote(right), wrong));

    GoTool.Run test = promtool.run(dir, "test", "rules", tests());

    assertThat(test.exitCode()).as(test.output()).isEqualTo(1);
    assertThat(test.output()).contains("FAILED");
  }

  @Test
  void aRuleThatIsNotPromQlFailsTheCheck() throws IOException {
    Path rules = dir.resolve(AlertRules.RULE_FILE);
    Files.writeString(rules, Files.readString(rules).replaceFirst(
        "dbmigration_migrations_phase\\{", "dbmigration_migrations_phase{{"));

    GoTool.Run check = promtool.run(dir, "check", "rules", AlertRules.RULE_FILE);

    assertThat(check.exitCode()).as(check.output()).isEqualTo(1);
    assertThat(check.output()).contains("FAILED");
  }

  private static String tests() {
    return AlertRules.TESTS.getFileName().toString();
  }
}
