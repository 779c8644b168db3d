package dev.dbmigration.operator.database;

import dev.dbmigration.operator.database.RevisionReader.Timeouts;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import javax.net.ssl.SSLHandshakeException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns a failed login or query into the one line a user of the operator needs: what went wrong,
 * and where. The driver's own text is either long ("Check that the hostname and port are
 * correct...") or says nothing ("The connection attempt failed.") while the cause knows more.
 * Nothing is redacted here; {@link RevisionReader} does that to every reason.
 */
final class UnreachableReason {

  // SQLSTATE query_canceled: what statement_timeout raises.
  private static final String QUERY_CANCELED = "57014";
  // Deeper than this is a cycle or a pathology.
  private static final int MAX_CAUSES = 16;

  private UnreachableReason() {
  }

  /** Why logging in failed after {@code elapsed}. */
  static String whileConnecting(Throwable failure, DatabaseLogin login, Timeouts timeouts,
      Duration elapsed) {
    return tls(failure, login)
        .or(() -> network(failure, login, timeouts, true))
        .or(() -> server(failure, login, timeouts))
        .orElseGet(() -> loginTimedOut(elapsed, timeouts)
            ? "timeout after " + timeouts.loginSeconds() + " s logging in to " + login.address()
            : "cannot log in to " + login.address() + ": " + firstLine(failure));
  }

  /** Why a query on an open session failed. */
  static String whileQuerying(Throwable failure, DatabaseLogin login, Timeouts timeouts) {
    return network(failure, login, timeouts, false)
        .or(() -> server(failure, login, timeouts))
        .orElseGet(() -> "query on " + login.address() + " failed: " + firstLine(failure));
  }

  // The driver's "Connection attempt timed out." is translated into the JVM's language; the clock
  // is not, and nothing else makes the driver give up exactly when the login timeout has run out.
  private static boolean loginTimedOut(Duration elapsed, Timeouts timeouts) {
    return elapsed.compareTo(Duration.ofSeconds(timeouts.loginSeconds())) >= 0;
  }

  /**
   * True when the server was reached and the TLS handshake, or the check of its certificate,
   * failed: what the migration's pod would meet too.
   */
  static boolean isTls(Throwable failure) {
    return tlsFailure(causes(failure)).isPresent();
  }

  /**
   * A TLS failure, said as what the user can fix: the CA in spec.database.tls.ca, the server's
   * certificate, the names in it. The JDK's own words (PKIX path building failed: ...) name
   * neither the resource's field nor the server.
   */
  private static Optional<String> tls(Throwable failure, DatabaseLogin login) {
    String address = login.address();
    return tlsFailure(causes(failure)).map(cause -> switch (kind(cause)) {
      case EXPIRED -> "TLS to " + address + " failed: the server's certificate (or its CA) has"
          + " expired";
      case UNKNOWN_CA -> "TLS to " + address + " failed: the server's certificate is not signed"
          + " by a CA of spec.database.tls.ca (the CA bundle is not the one of this server)";
      case NAME -> "TLS to " + address + " failed: the server's certificate does not name "
          + login.host() + " (verify-full checks the leader's address against the names in the"
          + " certificate)";
      case HANDSHAKE -> "TLS handshake with " + address + " failed: " + firstLine(cause);
    });
  }

  private enum TlsKind { EXPIRED, UNKNOWN_CA, NAME, HANDSHAKE }

  /** The cause that makes this a TLS failure, the most telling first. */
  private static Optional<Throwable> tlsFailure(List<Throwable> chain) {
    for (TlsKind wanted : TlsKind.values()) {
      for (Throwable cause : chain) {
        if (kind(cause) == wanted) {
          return Optional.of(cause);
        }
      }
    }
    return Optional.empty();
  }

  private static TlsKind kind(Throwable cause) {
    if (cause instanceof CertificateExpiredException
        || (cause instanceof CertPathValidatorException invalid
            && invalid.getReason() == CertPathValidatorException.BasicReason.EXPIRED)) {
      return TlsKind.EXPIRED;
    }
    if (cause instanceof CertPathBuilderException) {
      return TlsKind.UNKNOWN_CA;
    }
    // pgjdbc's own check of the names for verify-full, in English as the operator's image runs
    // (C.UTF-8); in another locale it falls through to the driver's own sentence.
    if (cause instanceof PSQLException && cause.getMessage() != null
        && cause.getMessage().contains("could not be verified")) {
      return TlsKind.NAME;
    }
    return cause instanceof SSLHandshakeException ? TlsKind.HANDSHAKE : null;
  }

  private static Optional<String> network(Throwable failure, DatabaseLogin login, Timeouts timeouts,
      boolean connecting) {
    String address = login.address();
    for (Throwable cause : causes(failure)) {
      String message = cause.getMessage() == null ? "" : cause.getMessage();
      String lower = message.toLowerCase(Locale.ROOT);
      if (cause instanceof SocketTimeoutException) {
        // The JDK says "Connect timed out" for the TCP handshake and "Read timed out" after it.
        return Optional.of(connecting && lower.contains("connect")
            ? "timeout after " + timeouts.connectSeconds() + " s connecting to " + address
            : "timeout after " + timeouts.socketSeconds() + " s waiting for " + address
                + " to answer");
      }
      if (cause instanceof ConnectException) {
        return Optional.of(message.isEmpty() || lower.contains("refused")
            ? "connection refused to " + address
            : "cannot connect to " + address + ": " + message);
      }
      if (cause instanceof NoRouteToHostException) {
        return Optional.of("no route to host " + address);
      }
      if (cause instanceof UnknownHostException) {
        return Optional.of("unknown host " + login.host());
      }
      if (cause instanceof SocketException || cause instanceof EOFException) {
        return Optional.of("connection to " + address + " lost"
            + (message.isEmpty() ? "" : ": " + message));
      }
    }
    return Optional.empty();
  }

  // The server's own sentence, e.g. password authentication failed for user "app", is the best
  // reason there is; the driver's wrapping adds a severity prefix and sometimes several lines.
  private static Optional<String> server(Throwable failure, DatabaseLogin login,
      Timeouts timeouts) {
    for (Throwable cause : causes(failure)) {
      if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
        ServerErrorMessage error = psql.getServerErrorMessage();
        String message = error.getMessage() == null ? firstLine(psql) : error.getMessage();
        if (QUERY_CANCELED.equals(error.getSQLState())) {
          return Optional.of("timeout after " + describeMillis(timeouts.statementMillis())
              + " running a query on " + login.address() + " (" + message + ")");
        }
        return Optional.of(message);
      }
    }
    return Optional.empty();
  }

  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && chain.size() < MAX_CAUSES && !chain.contains(t);
        t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static String firstLine(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }

  private static String describeMillis(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
