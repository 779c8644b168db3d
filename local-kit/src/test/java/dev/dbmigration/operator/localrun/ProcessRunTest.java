package dev.dbmigration.operator.localrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes, started without a shell. */
class ProcessRunTest {

  static final String PYTHON = "/usr/bin/python3";

  @TempDir
  Path dir;

  static ProcessRun.Outcome run(List<String> command, Map<String, String> env, Path dir,
      Duration deadline) throws IOException, InterruptedException {
    return ProcessRun.start(command, env, dir, null).await(deadline);
  }

  static List<String> python(String code) {
    return List.of(PYTHON, "-c", code);
  }

  @Test
  void passesArgumentsVerbatimWithoutAShell() throws Exception {
    List<String> hostile = List.of("a; echo injected", "$(id)", "`id`", "$HOME", "*", "x > y", "");

    ProcessRun.Outcome outcome = run(List.of("/usr/bin/printf", "[%s]\\n", hostile.get(0),
        hostile.get(1), hostile.get(2), hostile.get(3), hostile.get(4), hostile.get(5),
        hostile.get(6)), Map.of(), dir, null);

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.ending()).isEqualTo(ProcessRun.Ending.EXITED);
    assertThat(outcome.tail()).isEqualTo(
        "[a; echo injected]\n[$(id)]\n[`id`]\n[$HOME]\n[*]\n[x > y]\n[]\n");
  }

  @Test
  void givesTheProcessExactlyTheEnvironmentItIsGiven() throws Exception {
    ProcessRun.Outcome outcome = run(List.of("/usr/bin/env"),
        Map.of("ONLY", "this", "ODD", "$(X) ;|&"), dir, null);

    assertThat(outcome.tail().lines()).containsExactlyInAnyOrder("ONLY=this", "ODD=$(X) ;|&");
  }

  @Test
  void runsInTheWorkingDirectory() throws Exception {
    ProcessRun.Outcome outcome = run(python("import os; print(os.getcwd())"), Map.of(), dir, null);

    assertThat(outcome.tail().strip()).isEqualTo(dir.toRealPath().toString());
  }

  @Test
  void mergesStderrIntoTheOutputAndReportsTheExitCode() throws Exception {
    ProcessRun.Outcome outcome = run(python(
        "import sys; print('out', flush=True); print('err', file=sys.stderr, flush=True); sys.exit(3)"),
        Map.of(), dir, null);

    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.tail()).isEqualTo("out\nerr\n");
  }

  @Test
  void keepsTheTailAndCopiesEverythingToTheLogFile() throws Exception {
    Path log = dir.resolve("logs/ns/pod.log");

    ProcessRun.Outcome outcome = ProcessRun.start(
        python("[print('line', i) for i in range(1, 101)]"), Map.of(), dir, log).await(null);

    assertThat(outcome.tail()).startsWith("line 21\n").endsWith("line 100\n");
    assertThat(Files.readAllLines(log)).hasSize(100).startsWith("line 1");
  }

  @Test
  void givesTheProcessNoStdin() throws Exception {
    ProcessRun.Outcome outcome = run(python("import sys; print(repr(sys.stdin.read()))"),
        Map.of(), dir, Duration.ofSeconds(20));

    assertThat(outcome.tail()).isEqualTo("''\n");
  }

  @Test
  void killsTheProcessTreeAtTheDeadline() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    // The child sleeps in a process of its own, which must die with its parent.
    String code = "import subprocess, sys, time\n"
        + "child = subprocess.Popen(['/bin/sleep', '60'])\n"
        + "open(sys.argv[1], 'w').write(str(child.pid))\n"
        + "print('started', flush=True)\n"
        + "time.sleep(60)\n";

    long before = System.nanoTime();
    ProcessRun.Outcome outcome = run(List.of(PYTHON, "-c", code, pidFile.toString()), Map.of(),
        dir, Duration.ofSeconds(2));

    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(20));
    assertThat(outcome.ending()).isEqualTo(ProcessRun.Ending.DEADLINE_EXCEEDED);
    assertThat(outcome.exitCode()).isNotZero();
    assertThat(outcome.tail()).isEqualTo("started\n");
    long child = Long.parseLong(Files.readString(pidFile).strip());
    await().atMost(Duration.ofSeconds(10)).until(() ->
        ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
  }

  @Test
  void stopEndsARunFromAnotherThread() throws Exception {
    ProcessRun run = ProcessRun.start(python("import time; print('up', flush=True); time.sleep(60)"),
        Map.of(), dir, null);
    CompletableFuture<ProcessRun.Outcome> outcome = CompletableFuture.supplyAsync(() -> {
      try {
        return run.await(null);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    run.stop();

    assertThat(outcome.get(20, TimeUnit.SECONDS).ending()).isEqualTo(ProcessRun.Ending.STOPPED);
  }

  @Test
  void aMissingProgramCannotStart() {
    assertThatThrownBy(() -> ProcessRun.start(List.of(dir.resolve("nope").toString()), Map.of(),
        dir, null)).isInstanceOf(IOException.class);
  }
}
