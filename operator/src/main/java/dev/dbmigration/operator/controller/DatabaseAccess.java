package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseTls;
import dev.dbmigration.operator.api.v1alpha1.SecretKeys;
import dev.dbmigration.operator.database.ConnectionTls;
import dev.dbmigration.operator.database.DatabaseLogin;
import dev.dbmigration.operator.database.Probe;
import dev.dbmigration.operator.database.RevisionReader;
import dev.dbmigration.operator.database.RevisionSource;
import dev.dbmigration.operator.model.validation.SecretView;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;

/**
 * The operator's own look at the database: is the chosen host writable, and at which revision.
 * Credentials are decoded from the cached Secret at the moment of use and kept nowhere; the TLS
 * CA bundle is read then too, so a check speaks TLS as the migration's pod will.
 */
final class DatabaseAccess {

  private final RevisionReader reader;
  private final CaBundleReader caBundles;

  DatabaseAccess(RevisionReader reader, CaBundleReader caBundles) {
    this.reader = reader;
    this.caBundles = caBundles;
  }

  Probe probe(DatabaseMigration dbm, Secret secret, String host) {
    if (secret == null) {
      return new Probe.Unreachable("the credentials Secret is gone");
    }
    if (host == null || host.isBlank()) {
      return new Probe.Unreachable("the run's database host is not known");
    }
    SecretKeys keys = keys(dbm);
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String database = SecretView.decode(data.get(keys.databaseOrDefault()));
    String username = SecretView.decode(data.get(keys.usernameOrDefault()));
    String password = SecretView.decode(data.get(keys.passwordOrDefault()));
    if (database == null || username == null || password == null) {
      return new Probe.Unreachable("the credentials Secret lacks a key");
    }
    DatabaseTls tls = dbm.getSpec().getDatabase().getTls();
    ConnectionTls connection = ConnectionTls.DRIVER_DEFAULT;
    if (tls != null && tls.modeOrDefault().verifiesCertificate()) {
      CaBundleReader.Result ca = caBundles.read(dbm, tls.getCa());
      if (ca instanceof CaBundleReader.Result.Unusable unusable) {
        return new Probe.Unreachable("spec.database.tls.ca: " + unusable.reason(), true);
      }
      connection = new ConnectionTls(tls.modeOrDefault(),
          ((CaBundleReader.Result.Found) ca).bundle());
    } else if (tls != null) {
      connection = new ConnectionTls(tls.modeOrDefault(), null);
    }
    return reader.probe(new DatabaseLogin(host, dbm.getSpec().getDatabase().portOrDefault(),
        database, username, password), connection, RevisionSource.of(dbm.getSpec()));
  }

  /** The database's name as the Secret gives it, or null when it cannot be read. */
  static String databaseName(DatabaseMigration dbm, Secret secret) {
    if (secret == null || secret.getData() == null) {
      return null;
    }
    return SecretView.decode(secret.getData().get(keys(dbm).databaseOrDefault()));
  }

  /** The values to scrub from anything the operator writes: the password, decoded. */
  static List<String> secretsToRedact(DatabaseMigration dbm, Secret secret) {
    if (secret == null || secret.getData() == null) {
      return List.of();
    }
    String password = SecretView.decode(secret.getData().get(keys(dbm).passwordOrDefault()));
    return password == null ? List.of() : List.of(password);
  }

  private static SecretKeys keys(DatabaseMigration dbm) {
    return dbm.getSpec().getDatabase().getCredentialsSecret().keysOrDefault();
  }
}
