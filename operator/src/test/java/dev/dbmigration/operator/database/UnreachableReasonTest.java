package dev.dbmigration.operator.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.database.RevisionReader.Timeouts;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

class UnreachableReasonTest {

  private static final DatabaseLogin LOGIN =
      new DatabaseLogin("10.0.0.1", 5432, "app", "migrator", "hunter22");
  private static final Timeouts TIMEOUTS = Timeouts.DEFAULTS;
  private static final Duration QUICK = Duration.ofMillis(20);

  private static PSQLException driverFailure(Throwable cause) {
    return new PSQLException("The connection attempt failed.",
        PSQLState.CONNECTION_UNABLE_TO_CONNECT, cause);
  }

  // The fields of an ErrorResponse as the server sends them: type letter, value, NUL.
  private static PSQLException serverFailure(String sqlState, String message) {
    return new PSQLException(new ServerErrorMessage(
        "SFATAL\0VFATAL\0C" + sqlState + "\0M" + message + "\0Fauth.c\0L326\0"));
  }

  private static String connecting(Throwable failure) {
    return UnreachableReason.whileConnecting(failure, LOGIN, TIMEOUTS, QUICK);
  }

  @Test
  void aServerCertificateOfAnotherCaNamesTheCaField() {
    SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed:"
        + " sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid"
        + " certification path to requested target");
    handshake.initCause(new CertificateException("PKIX path building failed",
        new CertPathBuilderException("unable to find valid certification path")));

    assertThat(connecting(new PSQLException("SSL error: " + handshake.getMessage(),
        PSQLState.CONNECTION_FAILURE, handshake)))
        .isEqualTo("TLS to 10.0.0.1:5432 failed: the server's certificate is not signed by a CA"
            + " of spec.database.tls.ca (the CA bundle is not the one of this server)");
  }

  @Test
  void anExpiredCertificateIsSaidSo() {
    SSLHandshakeException handshake = new SSLHandshakeException("validity check failed");
    handshake.initCause(new CertPathValidatorException("validity check failed", null, null, -1,
        CertPathValidatorException.BasicReason.EXPIRED));

    assertThat(connecting(new PSQLException("SSL error", PSQLState.CONNECTION_FAILURE, handshake)))
        .isEqualTo("TLS to 10.0.0.1:5432 failed: the server's certificate (or its CA) has"
            + " expired");
  }

  @Test
  void aCertificateThatDoesNotNameTheLeaderIsSaidSo() {
    assertThat(connecting(new PSQLException("The hostname 10.0.0.1 could not be verified by"
        + " hostnameverifier PgjdbcHostnameVerifier.", PSQLState.CONNECTION_FAILURE)))
        .isEqualTo("TLS to 10.0.0.1:5432 failed: the server's certificate does not name 10.0.0.1"
            + " (verify-full checks the leader's address against the names in the certificate)");
  }

  @Test
  void anotherHandshakeFailureKeepsTheJdksFirstLine() {
    SSLHandshakeException handshake = new SSLHandshakeException("Received fatal alert:"
        + " protocol_version\nmore");
    handshake.initCause(new EOFException("SSL peer shut down incorrectly"));

    assertThat(connecting(new PSQLException("SSL error", PSQLState.CONNECTION_FAILURE, handshake)))
        .isEqualTo("TLS handshake with 10.0.0.1:5432 failed: Received fatal alert:"
            + " protocol_version");
  }

  @Test
  void refusedConnectionNamesTheAddress() {
    PSQLException failure = new PSQLException("Connection to 10.0.0.1:5432 refused. Check that the"
        + " hostname and port are correct and that the postmaster is accepting TCP/IP connections.",
        PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException("Connection refused"));

    assertThat(connecting(failure)).isEqualTo("connection refused to 10.0.0.1:5432");
  }

  @Test
  void handshakeTimeoutNamesTheConnectTimeout() {
    assertThat(connecting(driverFailure(new SocketTimeoutException("Connect timed out"))))
        .isEqualTo("timeout after 5 s connecting to 10.0.0.1:5432");
  }

  @Test
  void silentServerNamesTheSocketTimeout() {
    assertThat(connecting(driverFailure(new SocketTimeoutException("Read timed out"))))
        .isEqualTo("timeout after 10 s waiting for 10.0.0.1:5432 to answer");
    assertThat(UnreachableReason.whileQuerying(
        new PSQLException("An I/O error occurred while sending to the backend.",
            PSQLState.CONNECTION_FAILURE, new SocketTimeoutException("Read timed out")),
        LOGIN, TIMEOUTS))
        .isEqualTo("timeout after 10 s waiting for 10.0.0.1:5432 to answer");
  }

  @Test
  void driverGivingUpAfterTheLoginTimeoutIsALoginTimeout() {
    PSQLException failure = new PSQLException("Connection attempt timed out.",
        PSQLState.CONNECTION_UNABLE_TO_CONNECT);

    assertThat(UnreachableReason.whileConnecting(failure, LOGIN, TIMEOUTS, Duration.ofSeconds(5)))
        .isEqualTo("timeout after 5 s logging in to 10.0.0.1:5432");
    assertThat(connecting(failure)).as("a quick failure is not a timeout")
        .isEqualTo("cannot log in to 10.0.0.1:5432: Connection attempt timed out.");
  }

  @Test
  void unknownHostAndLostConnection() {
    assertThat(connecting(driverFailure(new UnknownHostException("db.nowhere"))))
        .isEqualTo("unknown host 10.0.0.1");
    assertThat(connecting(driverFailure(new EOFException())))
        .isEqualTo("connection to 10.0.0.1:5432 lost");
  }

  @Test
  void serverMessagesAreTakenAsTheServerSaysThem() {
    assertThat(
        connecting(serverFailure("28P01", "password authentication failed for user \"app\"")))
        .isEqualTo("password authentication failed for user \"app\"");
    assertThat(connecting(serverFailure("3D000", "database \"nope\" does not exist")))
        .isEqualTo("database \"nope\" does not exist");
    assertThat(UnreachableReason.whileQuerying(
        serverFailure("42501", "permission denied for table alembic_version"), LOGIN, TIMEOUTS))
        .isEqualTo("permission denied for table alembic_version");
  }

  @Test
  void statementTimeoutNamesTheLimit() {
    assertThat(UnreachableReason.whileQuerying(
        serverFailure("57014", "canceling statement due to statement timeout"), LOGIN, TIMEOUTS))
        .isEqualTo("timeout after 5 s running a query on 10.0.0.1:5432"
            + " (canceling statement due to statement timeout)");
  }

  @Test
  void anythingElseIsTheFirstLineOfItsMessageAndWhere() {
    assertThat(connecting(new PSQLException(
        "An error occurred while setting up the SSL connection.\n  more",
        PSQLState.CONNECTION_FAILURE)))
        .isEqualTo("cannot log in to 10.0.0.1:5432:"
            + " An error occurred while setting up the SSL connection.");
    assertThat(connecting(new IllegalStateException()))
        .isEqualTo("cannot log in to 10.0.0.1:5432: IllegalStateException");
    assertThat(UnreachableReason.whileQuerying(new PSQLException("This connection has been closed.",
        PSQLState.CONNECTION_DOES_NOT_EXIST), LOGIN, TIMEOUTS))
        .isEqualTo("query on 10.0.0.1:5432 failed: This connection has been closed.");
  }
}
