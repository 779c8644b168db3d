package dev.dbmigration.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers) and {@code /readyz} (informers synced, the installed CRD
 * current) for probes; a 503 from /readyz says why in its body.
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  /** {@code notReadyBecause}: why the operator is not ready, empty when it is. */
  public HealthServer(int port, Supplier<Optional<String>> notReadyBecause) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext("/healthz", exchange -> respond(exchange, Optional.empty()));
    server.createContext("/readyz", exchange -> respond(exchange, notReadyBecause.get()));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, Optional<String> problem) throws IOException {
    byte[] body = problem.map(p -> "not ready: " + p + "\n").orElse("ok\n")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(problem.isPresent() ? 503 : 200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
