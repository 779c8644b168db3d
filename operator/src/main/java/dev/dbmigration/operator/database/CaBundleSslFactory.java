package dev.dbmigration.operator.database;

import java.security.GeneralSecurityException;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import org.postgresql.ssl.WrappedFactory;

/**
 * pgjdbc's SSL socket factory for the operator's own probe: trusts exactly the CA bundle of the
 * resource, handed over in memory, so that no file holds it and each probe uses the bundle as it
 * was read for it. pgjdbc instantiates it by name with the connection's properties; for
 * verify-full pgjdbc still checks the certificate's names against the host itself.
 */
public final class CaBundleSslFactory extends WrappedFactory {

  /** The connection property holding the PEM bundle. */
  static final String CA_PROPERTY = "dbmigration.caBundle";

  public CaBundleSslFactory(Properties info) throws GeneralSecurityException {
    String pem = info.getProperty(CA_PROPERTY);
    if (pem == null) {
      throw new GeneralSecurityException("no CA bundle was passed in " + CA_PROPERTY);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, CaBundle.parse(pem).trustManagers().getTrustManagers(), null);
    factory = context.getSocketFactory();
  }
}
