package dev.dbmigration.operator.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The reliability suite's summary: one row per scenario, written as each scenario ends so a
 * failing run still shows what was observed. hack/test.sh prints the file after Maven; the
 * closing figures of the suite are read from it.
 */
public final class ScenarioTable {

  public static final Path FILE = Path.of("target", "reliability-summary.md");
  private static final String HEADER = "| scenario | expected | observed | result |\n"
      + "|---|---|---|---|\n";

  private ScenarioTable() {
  }

  /**
   * Records what a scenario expected and what it observed. Call it with the observed facts
   * before asserting on them, so a failure is visible in the table as well as in the test.
   */
  public static synchronized void record(String scenario, String expected, String observed) {
    boolean pass = expected.equals(observed);
    String line = "| " + cell(scenario) + " | " + cell(expected) + " | " + cell(observed) + " | "
        + (pass ? "pass" : "FAIL") + " |\n";
    try {
      Files.createDirectories(FILE.getParent());
      if (!Files.exists(FILE)) {
        Files.writeString(FILE, HEADER, StandardCharsets.UTF_8);
      }
      Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.print("[scenario] " + line);
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
