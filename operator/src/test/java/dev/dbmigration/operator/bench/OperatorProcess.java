package dev.dbmigration.operator.bench;

import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.runtime.MigrationOperator;
import dev.dbmigration.operator.runtime.OperatorClient;
import dev.dbmigration.operator.runtime.OperatorSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The operator as the benchmark runs it: its own JVM (so that heap and RSS are the operator's
 * alone), started by {@link OperatorJvm}, exactly {@link MigrationOperator} on the client Main
 * builds ({@link OperatorClient}), whose requests a {@link RequestCounter} counts. The benchmark asks it for figures over stdin; each
 * answer is one line on stdout starting with {@code bench:} (the operator logs to a file).
 *
 * <pre>
 *   requests        → bench:requests K, then K lines "count TAB METHOD /path" (counts restart)
 *   memory          → bench:memory heapUsedAfterGc heapCommitted rssKiB peakRssKiB threads
 *   trace FILE      → bench:ok once the stage trace is written to FILE (--trace only)
 *   nmt FILE        → bench:ok once the JVM's native memory summary is written to FILE
 *   histogram FILE  → bench:ok once the heap's live objects by class are written to FILE
 *   quit            → stops the operator and exits
 * </pre>
 */
public final class OperatorProcess {

  private OperatorProcess() {
  }

  public static void main(String[] args) throws Exception {
    Path kubeconfig = null;
    boolean trace = false;
    for (String arg : args) {
      if (arg.startsWith("--kubeconfig=")) {
        kubeconfig = Path.of(arg.substring("--kubeconfig=".length()));
      } else if (arg.equals("--trace")) {
        trace = true;
      } else {
        throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    // stdout carries answers only; System.out is taken before anything could print to it.
    PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);

    RequestCounter counter = new RequestCounter();
    KubernetesClient client = clientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("counter", counter))
        .build();
    StageTrace stages = trace ? new StageTrace() : null;
    // Best-effort: the operator still probes each leader (refused at once, the probe row times
    // it) but makes the Job regardless; with the default, nothing here would ever start, and a
    // real database per resource would measure PostgreSQL rather than the operator.
    OperatorSettings settings = new OperatorSettings(Set.of(), 0)
        .withDatabaseCheck(DatabaseCheckMode.BEST_EFFORT);
    MigrationOperator operator = trace
        ? new MigrationOperator(client, settings, o -> o.withMetrics(stages))
        : new MigrationOperator(client, settings);
    long calling = uptimeMillis();
    operator.start();
    answers.println("bench:started " + calling + " " + uptimeMillis());

    BufferedReader commands = new BufferedReader(
        new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = commands.readLine()) != null) {
      String[] words = line.trim().split(" ", 2);
      switch (words[0]) {
        case "requests" -> {
          Map<String, Long> counts = counter.drain().byKey();
          answers.println("bench:requests " + counts.size());
          counts.forEach((key, count) -> answers.println(count + "\t" + key));
        }
        case "memory" -> answers.println("bench:memory " + memory());
        case "trace" -> {
          if (stages != null) {
            stages.write(Path.of(words[1]));
          }
          answers.println("bench:ok");
        }
        case "nmt" -> {
          Files.writeString(Path.of(words[1]), diagnosticCommand("vmNativeMemory", "summary"));
          answers.println("bench:ok");
        }
        case "histogram" -> {
          Files.writeString(Path.of(words[1]), diagnosticCommand("gcClassHistogram"));
          answers.println("bench:ok");
        }
        case "quit" -> {
          operator.close();
          client.close();
          // JOSDK and fabric8 leave non-daemon executors behind.
          System.exit(0);
        }
        default -> answers.println("bench:error unknown command " + line);
      }
    }
    System.exit(1);
  }

  /** The client Main builds; an earlier build (--before) without OperatorClient used a plain one. */
  private static KubernetesClientBuilder clientBuilder() {
    try {
      return OperatorClient.builder();
    } catch (NoClassDefFoundError olderBuild) {
      return new KubernetesClientBuilder();
    }
  }

  private static long uptimeMillis() {
    return ManagementFactory.getRuntimeMXBean().getUptime();
  }

  /** Heap after a full collection, and the resident set from /proc. */
  private static String memory() throws IOException {
    System.gc();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long rss = -1;
    long peak = -1;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
      } else if (line.startsWith("VmHWM:")) {
        peak = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return heap.getUsed() + " " + heap.getCommitted() + " " + rss + " " + peak + " "
        + ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /**
   * A jcmd command run inside this JVM: {@code vmNativeMemory summary} (with
   * -XX:NativeMemoryTracking=summary), {@code gcClassHistogram} (live objects by class).
   */
  private static String diagnosticCommand(String command, String... arguments) {
    try {
      return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
          new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
          command, new Object[] {arguments}, new String[] {String[].class.getName()}));
    } catch (Exception e) {
      return "failed: " + e;
    }
  }
}
