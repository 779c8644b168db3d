package dev.dbmigration.operator.localrun;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's native sidecars (init containers with restartPolicy Always) as the kubelet runs them:
 * started in order before the main container, each one's startup probe awaited before the next
 * starts, and stopped (SIGTERM) after the main container has ended. A tcpSocket probe is tried
 * on this machine's loopback: every pod of the runner shares the host's network, like pods with
 * a hostPort on one node, so two pods whose sidecars listen on one port run one after another.
 */
final class Sidecars implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Sidecars.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Map<Integer, Semaphore> PORTS = new ConcurrentHashMap<>();

  private final List<ProcessRun> running = new ArrayList<>();
  private final List<Semaphore> held = new ArrayList<>();

  static boolean isSidecar(Container container) {
    return "Always".equals(container.getRestartPolicy());
  }

  /**
   * Starts the sidecars of {@code spec}; returns once each has started (its probe succeeded).
   *
   * @param launch how a sidecar's process is worked out from its container
   * @param logFile where a container's output goes, by container name (null: nowhere)
   * @param deadline when to give up waiting (null: never)
   */
  static Sidecars start(PodSpec spec, Launcher launch, Function<String, Path> logFile,
      Instant deadline) throws JobStartException, InterruptedException {
    Sidecars sidecars = new Sidecars();
    if (spec.getInitContainers() == null) {
      return sidecars;
    }
    try {
      for (Container container : spec.getInitContainers()) {
        if (isSidecar(container)) {
          sidecars.startOne(container, launch.of(container), logFile.apply(container.getName()),
              deadline);
        }
      }
      return sidecars;
    } catch (JobStartException | InterruptedException | RuntimeException e) {
      sidecars.close();
      throw e;
    }
  }

  private void startOne(Container container, ContainerLaunch launch, Path log, Instant deadline)
      throws JobStartException, InterruptedException {
    Integer port = probePort(container);
    if (port != null) {
      Semaphore exclusive = PORTS.computeIfAbsent(port, p -> new Semaphore(1));
      exclusive.acquire();
      held.add(exclusive);
    }
    ProcessRun run;
    try {
      run = ProcessRun.start(launch.command(), launch.environment(), launch.workingDir(), log);
    } catch (IOException e) {
      throw new JobStartException("cannot run sidecar " + container.getName() + ": "
          + e.getMessage());
    }
    running.add(run);
    if (port == null) {
      return;
    }
    while (!listening(port)) {
      if (!run.isAlive()) {
        throw new JobStartException("sidecar " + container.getName() + " exited before its"
            + " startup probe succeeded");
      }
      if (deadline != null && Instant.now().isAfter(deadline)) {
        throw new JobStartException("sidecar " + container.getName() + " did not start before"
            + " the Job's deadline");
      }
      Thread.sleep(POLL.toMillis());
    }
    LOG.info("sidecar {} started (port {} answers)", container.getName(), port);
  }

  private static Integer probePort(Container container) {
    if (container.getStartupProbe() == null || container.getStartupProbe().getTcpSocket() == null
        || container.getStartupProbe().getTcpSocket().getPort() == null) {
      return null;
    }
    return container.getStartupProbe().getTcpSocket().getPort().getIntVal();
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) POLL.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the sidecars, last started first, as the kubelet does once the main container ended. */
  @Override
  public void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).stop();
      try {
        running.get(i).await(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
    held.forEach(Semaphore::release);
    held.clear();
  }

  /** How a sidecar's container becomes a process. */
  interface Launcher {
    ContainerLaunch of(Container container) throws JobStartException;
  }
}
