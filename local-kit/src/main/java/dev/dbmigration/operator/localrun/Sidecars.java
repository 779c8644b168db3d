package dev.dbmigration.operator.localrun;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's native sidecars (init containers with restartPolicy Always) as the kubelet runs them:
 * started in order before the main container, each one's startup probe awaited before the next
 * starts, and stopped (SIGTERM) after the main container has ended. Every process of the runner
 * shares this machine's network, where pods would have one each: so a sidecar with a tcpSocket
 * probe gets a free port of its own in place of the probed one (in its arguments), and its probe
 * is tried there on loopback. Two runs never wait for each other's port, as two pods never do.
 */
final class Sidecars implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Sidecars.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final List<ProcessRun> running = new ArrayList<>();

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
    Integer probed = probePort(container);
    Integer port = probed == null ? null : freePort(container);
    ContainerLaunch own = port == null ? launch : onPort(launch, probed, port);
    ProcessRun run;
    try {
      run = ProcessRun.start(own.command(), own.environment(), own.workingDir(), log);
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

  private static int freePort(Container container) throws JobStartException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new JobStartException("no free port for sidecar " + container.getName() + ": "
          + e.getMessage());
    }
  }

  /** The launch with {@code probed} replaced by {@code port} where an argument names it. */
  static ContainerLaunch onPort(ContainerLaunch launch, int probed, int port) {
    String from = Integer.toString(probed);
    String to = Integer.toString(port);
    List<String> command = launch.command().stream()
        .map(a -> a.equals(from) ? to
            : a.endsWith("=" + from) ? a.substring(0, a.length() - from.length()) + to : a)
        .toList();
    return new ContainerLaunch(command, launch.environment(), launch.workingDir());
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
  }

  /** How a sidecar's container becomes a process. */
  interface Launcher {
    ContainerLaunch of(Container container) throws JobStartException;
  }
}
