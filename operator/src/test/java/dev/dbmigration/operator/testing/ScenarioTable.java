package dev.dbmigration.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A suite's summary: one row per scenario, written as each scenario ends so a failing run still
 * shows what was observed. hack/test.sh prints the files after Maven; the closing figures of the
 * suites are read from them. The reliability suite (real API server) and the real-cluster tier
 * each have their table.
 */
public final class ScenarioTable {

  /** The reliability scenarios: the real API server, the real alembic, the local Job runner. */
  public static final ScenarioTable RELIABILITY =
      new ScenarioTable(Path.of("target", "reliability-summary.md"));
  /** The real-cluster tier: kubelet, Job controller, garbage collector, Patroni. */
  public static final ScenarioTable E2E = new ScenarioTable(Path.of("target", "e2e-summary.md"));

  private static final String HEADER = "| scenario | expected | observed | result |\n"
      + "|---|---|---|---|\n";

  private final Path file;

  private ScenarioTable(Path file) {
    this.file = file;
  }

  /** A row of the reliability table (see {@link #row}). */
  public static void record(String scenario, String expected, String observed) {
    RELIABILITY.row(scenario, expected, observed);
  }

  /**
   * Records what a scenario expected and what it observed. Call it with the observed facts
   * before asserting on them, so a failure is visible in the table as well as in the test.
   */
  public synchronized void row(String scenario, String expected, String observed) {
    boolean pass = expected.equals(observed);
    String line = "| " + cell(scenario) + " | " + cell(expected) + " | " + cell(observed) + " | "
        + (pass ? "pass" : "FAIL") + " |\n";
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.writeString(file, HEADER, StandardCharsets.UTF_8);
      }
      Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.print("[scenario] " + line);
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
