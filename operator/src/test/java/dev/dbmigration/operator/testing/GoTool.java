package dev.dbmigration.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the ecosystem's validators that hack/go-tools/build.sh builds from its Go module
 * (promtool, olm-validate), found where the build put it: the system property
 * {@code <tool>.bin} (hack/test.sh passes the path the build printed), else the build's
 * default cache. Missing, the test skips, or fails under CI=true.
 */
public record GoTool(String name, Path binary) {

  /** Result of one run: its exit code and what it printed (stdout and stderr together). */
  public record Run(String command, int exitCode, String output) {
  }

  /**
   * The tool if it was built; else, under CI=true, a failure, and on a laptop empty (for a check
   * that is one part of a larger test, which should not skip as a whole).
   */
  public static java.util.Optional<GoTool> ifBuilt(String name) {
    Path binary = binary(name);
    if (Files.isExecutable(binary)) {
      return java.util.Optional.of(new GoTool(name, binary));
    }
    if (Prerequisites.inCi()) {
      Prerequisites.missing(name + " at " + binary);
    }
    System.out.println("not run, " + name + " is not built: hack/go-tools/build.sh " + name);
    return java.util.Optional.empty();
  }

  private static Path binary(String name) {
    String configured = System.getProperty(name + ".bin");
    return configured != null && !configured.isBlank() ? Path.of(configured)
        : Path.of(System.getProperty("user.home"),
            ".cache/database-migration-operator", name, name);
  }

  public static GoTool require(String name) {
    Path binary = binary(name);
    if (!Files.isExecutable(binary)) {
      Prerequisites.missing(name + " at " + binary + " (build it: hack/go-tools/build.sh "
          + name + ")");
    }
    return new GoTool(name, binary);
  }

  /**
   * Runs the tool in {@code dir} with these arguments and prints the command and its output,
   * so that the validator's own words show in the build's log.
   */
  public Run run(Path dir, String... args) {
    return runWithInput(dir, Path.of("/dev/null"), args);
  }

  /** {@link #run}, with this file as the tool's standard input. */
  public Run runWithInput(Path dir, Path input, String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    String shown = "$ " + name + " " + String.join(" ", args)
        + (input.toString().equals("/dev/null") ? "" : " < " + input) + "   (in " + dir + ")";
    Path log = null;
    try {
      log = Files.createTempFile(name, ".out");
      Process process = new ProcessBuilder(command).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(input.toFile())).start();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError(shown + " did not end within 2 minutes");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      System.out.println(shown + "\n" + output.stripTrailing() + "\n[exit "
          + process.exitValue() + "]");
      return new Run(shown, process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      if (log != null) {
        log.toFile().delete();
      }
    }
  }
}
