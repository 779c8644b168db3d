package dev.dbmigration.operator.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP forwarder that a test can cut: every open connection is closed and new ones are
 * closed as soon as they arrive, until it is resumed. To a client behind it that is an API server
 * going away and coming back; TLS passes through untouched. It counts the connections it turned
 * away, so a test waits for the client to have tried and failed rather than for a time.
 */
final class TcpProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final int port;
  private final AtomicInteger turnedAway = new AtomicInteger();
  private final ServerSocket listener;
  private volatile boolean down;

  TcpProxy(String targetHost, int targetPort) throws IOException {
    this.target = new InetSocketAddress(targetHost, targetPort);
    this.listener = listen(0);
    this.port = listener.getLocalPort();
    acceptOn(listener);
  }

  int port() {
    return port;
  }

  /** Closes every connection and turns new ones away until {@link #resume()}. */
  void cut() {
    turnedAway.set(0);
    down = true;
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  void resume() {
    down = false;
  }

  /** Connections turned away since the last cut. */
  int turnedAway() {
    return turnedAway.get();
  }

  @Override
  public void close() throws IOException {
    cut();
    listener.close();
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
    return socket;
  }

  private void acceptOn(ServerSocket server) {
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          if (down) {
            turnedAway.incrementAndGet();
            closeQuietly(client);
            continue;
          }
          Socket upstream = new Socket();
          try {
            upstream.connect(target, 5000);
          } catch (IOException e) {
            closeQuietly(client);
            continue;
          }
          open.add(client);
          open.add(upstream);
          pipe(client, upstream);
          pipe(upstream, client);
        } catch (IOException e) {
          // closed by cut(): stop accepting
        }
      }
    }, "tcp-proxy-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void pipe(Socket from, Socket to) {
    Thread copier = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away; the finally below takes the other down with it
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "tcp-proxy-pipe-" + port);
    copier.setDaemon(true);
    copier.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
