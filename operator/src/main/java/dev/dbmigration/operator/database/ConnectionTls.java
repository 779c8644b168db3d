package dev.dbmigration.operator.database;

import dev.dbmigration.operator.api.v1alpha1.SslMode;

/**
 * How the operator's own session speaks TLS: the resource's sslmode, and for verify-ca and
 * verify-full the CA bundle it read. {@link #DRIVER_DEFAULT} asks nothing of the driver (its
 * default, prefer), as a resource without spec.database.tls does.
 *
 * @param mode null: the driver's default
 * @param ca the CA bundle; required exactly when the mode verifies the certificate
 */
public record ConnectionTls(SslMode mode, CaBundle ca) {

  public static final ConnectionTls DRIVER_DEFAULT = new ConnectionTls(null, null);

  public ConnectionTls {
    if (mode != null && mode.verifiesCertificate() && ca == null) {
      throw new IllegalArgumentException(mode.value() + " needs a CA bundle");
    }
    if (ca != null && (mode == null || !mode.verifiesCertificate())) {
      throw new IllegalArgumentException("a CA bundle is used by verify-ca and verify-full only");
    }
  }
}
