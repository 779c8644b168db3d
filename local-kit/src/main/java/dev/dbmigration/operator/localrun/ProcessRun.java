package dev.dbmigration.operator.localrun;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process, started without a shell, with exactly the given environment, its stdout and
 * stderr merged into one stream that is kept as a tail (and copied to a log file if asked).
 */
final class ProcessRun {

  /** Why the process ended. */
  enum Ending { EXITED, DEADLINE_EXCEEDED, STOPPED }

  record Outcome(int exitCode, Ending ending, String tail, String longTail, Duration duration) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRun.class);
  // Between SIGTERM and SIGKILL, as a pod's termination grace period would allow.
  private static final Duration GRACE = Duration.ofSeconds(5);
  // A grandchild that escaped the kill may hold the pipe open; the run does not wait for it.
  private static final Duration DRAIN = Duration.ofSeconds(5);

  private final Process process;
  private final Instant startedAt;
  private final OutputTail tail = new OutputTail();
  private final Thread pump;
  private volatile boolean stopped;

  private ProcessRun(Process process, OutputStream log, String name) {
    this.process = process;
    this.startedAt = Instant.now();
    this.pump = new Thread(() -> pump(process.getInputStream(), log), "output-" + name);
    this.pump.setDaemon(true);
    this.pump.start();
  }

  /**
   * @param command the program (an absolute path or one relative to {@code dir}) and its arguments
   * @param logFile where to copy the whole output, or null
   * @throws IOException only when the process cannot be started
   */
  static ProcessRun start(List<String> command, Map<String, String> env, Path dir, Path logFile)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    OutputStream log = openLog(logFile);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      closeQuietly(log);
      throw e;
    }
    // A container has no stdin unless asked for: reading it gives end-of-file.
    closeQuietly(process.getOutputStream());
    return new ProcessRun(process, log, Long.toString(process.pid()));
  }

  /**
   * Waits for the process to end; past {@code deadline} (null: none) the process tree is killed.
   * Interrupted, it kills the tree before giving up.
   */
  Outcome await(Duration deadline) throws InterruptedException {
    Ending ending = Ending.EXITED;
    try {
      if (deadline == null) {
        process.waitFor();
      } else if (!process.waitFor(Math.max(0, deadline.toMillis()), TimeUnit.MILLISECONDS)) {
        ending = Ending.DEADLINE_EXCEEDED;
        killTree();
      }
      process.waitFor();
      pump.join(DRAIN.toMillis());
    } catch (InterruptedException e) {
      killTree();
      throw e;
    }
    if (stopped) {
      ending = Ending.STOPPED;
    }
    return new Outcome(process.exitValue(), ending, tail.text(), tail.longText(),
        Duration.between(startedAt, Instant.now()));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Ends the run from outside: its {@link #await} reports {@link Ending#STOPPED}. */
  void stop() {
    stopped = true;
    killTree();
  }

  // SIGTERM to the process and everything it started, then SIGKILL to whatever outlives GRACE.
  private void killTree() {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    try {
      CompletableFuture.allOf(tree.stream().map(ProcessHandle::onExit)
          .toArray(CompletableFuture[]::new)).get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      LOG.debug("process {} outlived SIGTERM; killing it", process.pid());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private void pump(InputStream output, OutputStream log) {
    byte[] buffer = new byte[8192];
    OutputStream copy = log;
    try (output) {
      int read;
      while ((read = output.read(buffer)) >= 0) {
        tail.write(buffer, 0, read);
        copy = writeLog(copy, buffer, read);
      }
    } catch (IOException e) {
      LOG.debug("output of process {} ended early: {}", process.pid(), e.toString());
    } finally {
      closeQuietly(copy);
    }
  }

  // The log file is only a convenience: without it the run goes on.
  private static OutputStream openLog(Path logFile) {
    if (logFile == null) {
      return null;
    }
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      return Files.newOutputStream(logFile);
    } catch (IOException e) {
      LOG.warn("cannot write the log file {}; going on without it: {}", logFile, e.toString());
      return null;
    }
  }

  // A full disk must not stop the run; the log file is only a convenience.
  private OutputStream writeLog(OutputStream log, byte[] buffer, int length) {
    if (log == null) {
      return null;
    }
    try {
      log.write(buffer, 0, length);
      return log;
    } catch (IOException e) {
      LOG.warn("cannot write the log of process {}; going on without it: {}", process.pid(),
          e.toString());
      closeQuietly(log);
      return null;
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("close failed: {}", e.toString());
    }
  }
}
