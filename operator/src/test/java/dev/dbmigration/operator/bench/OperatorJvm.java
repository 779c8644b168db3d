package dev.dbmigration.operator.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's handle on the operator's own JVM ({@link OperatorProcess}): starts it on this
 * JVM's class path, and asks it for its request counts, memory and stage trace.
 */
final class OperatorJvm implements AutoCloseable {

  private final Process process;
  private final BufferedReader answers;
  private final PrintWriter commands;
  private final long spawnedNanos;
  private final long[] startedUptime;
  private final Path stderr;
  /** The last line the JVM itself printed on stdout, not an answer. */
  private String printed;

  private OperatorJvm(Process process, long spawnedNanos, Path stderr) throws IOException {
    this.process = process;
    this.stderr = stderr;
    this.spawnedNanos = spawnedNanos;
    this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    String[] started = expect("started");
    this.startedUptime = new long[] {Long.parseLong(started[0]), Long.parseLong(started[1])};
  }

  /**
   * Starts the operator on the server of {@code kubeconfig}; returns once start() returned.
   *
   * @param operatorClasspath the operator's classes and runtime dependencies, as its image has
   *     them (or an earlier build's runnable jar); null: this JVM's own class path
   */
  static OperatorJvm start(Path kubeconfig, List<String> jvmOptions, Map<String, String> env,
      String operatorClasspath, Path log, Path stderr, boolean trace) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath(operatorClasspath));
    command.add("-Dlog4j2.configurationFile="
        + System.getProperty("log4j2.configurationFile", "operator/src/test/resources/log4j2-bench.xml"));
    command.add("-Dbench.log=" + log);
    command.add(OperatorProcess.class.getName());
    command.add("--kubeconfig=" + kubeconfig);
    if (trace) {
      command.add("--trace");
    }
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()));
    builder.environment().putAll(env);
    long spawned = System.nanoTime();
    return new OperatorJvm(builder.start(), spawned, stderr);
  }

  /**
   * The image's JVM flags (see {@link ImageJvm}) followed by BENCH_OPERATOR_JAVA_OPTS, which adds
   * to them (a later flag wins): a JFR recording, native memory tracking.
   */
  static List<String> options(ImageJvm image) {
    List<String> options = new ArrayList<>(image.containerFlags());
    String extra = System.getenv("BENCH_OPERATOR_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      options.addAll(Arrays.stream(extra.trim().split("\\s+")).toList());
    }
    return options;
  }

  /**
   * The operator's class path and then this benchmark's own classes (the {@link OperatorProcess}
   * that drives it), and none of the tests' dependencies.
   */
  private static String classPath(String operatorClasspath) {
    if (operatorClasspath == null) {
      return System.getProperty("java.class.path");
    }
    try {
      Path benchClasses = Path.of(OperatorProcess.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI());
      return operatorClasspath + File.pathSeparator + benchClasses;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** System.nanoTime() of this JVM just before the operator's JVM was launched. */
  long spawnedNanos() {
    return spawnedNanos;
  }

  /** The operator JVM's uptime when it called start(), and when start() returned (ms). */
  long[] startedUptime() {
    return startedUptime;
  }

  /** The requests counted since the last call. */
  RequestCounter.Requests requests() throws IOException {
    commands.println("requests");
    int lines = Integer.parseInt(expect("requests")[0]);
    Map<String, Long> counts = new TreeMap<>();
    for (int i = 0; i < lines; i++) {
      String[] f = readLine().split("\t", 2);
      counts.put(f[1], Long.parseLong(f[0]));
    }
    return new RequestCounter.Requests(counts);
  }

  /** heapUsedAfterGc, heapCommitted (bytes), rss, peakRss (KiB), threads. */
  long[] memory() throws IOException {
    commands.println("memory");
    return Arrays.stream(expect("memory")).mapToLong(Long::parseLong).toArray();
  }

  /** CPU time the operator's JVM has used so far. */
  long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  void writeTrace(Path file) throws IOException {
    commands.println("trace " + file.toAbsolutePath());
    expect("ok");
  }

  void writeNativeMemorySummary(Path file) throws IOException {
    commands.println("nmt " + file.toAbsolutePath());
    expect("ok");
  }

  void writeClassHistogram(Path file) throws IOException {
    commands.println("histogram " + file.toAbsolutePath());
    expect("ok");
  }

  /** How the operator's JVM ended, with the line of its stderr that says why, if any. */
  String exitDescription() {
    String code = exitCode();
    try {
      List<String> lines = Files.readAllLines(stderr);
      String why = lines.stream().filter(l -> l.contains("OutOfMemoryError")).findFirst()
          .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
      return code + (why.isBlank() ? "" : ": " + why.trim());
    } catch (IOException e) {
      return code;
    }
  }

  private String[] expect(String what) throws IOException {
    String line = readLine();
    // The JVM itself may print to stdout (-Xlog, JFR's start message): pass that on.
    while (!line.startsWith("bench:")) {
      System.err.println("[operator JVM] " + line);
      printed = line;
      line = readLine();
    }
    String prefix = "bench:" + what;
    if (!line.startsWith(prefix)) {
      throw new IOException("operator JVM answered '" + line + "' instead of " + prefix);
    }
    String rest = line.substring(prefix.length()).trim();
    return rest.isEmpty() ? new String[0] : rest.split(" ");
  }

  private String readLine() throws IOException {
    String line = answers.readLine();
    if (line == null) {
      // What it printed last says why, e.g. ExitOnOutOfMemoryError's "Terminating due to ...".
      throw new IOException("the operator JVM exited (" + exitCode() + ")"
          + (printed == null ? "; see its stderr file" : ": " + printed.trim()));
    }
    return line;
  }

  private String exitCode() {
    try {
      return process.waitFor(10, TimeUnit.SECONDS) ? "exit code " + process.exitValue()
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Stops the operator; its JVM writes a JFR recording, if one was asked for, on the way out. */
  @Override
  public void close() {
    commands.println("quit");
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
    }
  }
}
