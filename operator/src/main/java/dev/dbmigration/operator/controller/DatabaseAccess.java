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
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * The operator's own look at the database: is the chosen host writable, and at which revision.
 * The credentials Secret is read from the API server for it (the informers keep no Secret
 * values), used for the login and for what to redact, and kept nowhere; the TLS CA bundle
 * is read then too, so a check speaks TLS as the migration's pod will.
 */
final class DatabaseAccess {

  private final RevisionReader reader;
  private final KubernetesClient client;
  private final CaBundleReader caBundles;

  DatabaseAccess(RevisionReader reader, KubernetesClient client, CaBundleReader caBundles) {
    this.reader = reader;
    this.client = client;
    this.caBundles = caBundles;
  }

  /**
   * Reads the Secret and checks the database at {@code host} with it.
   *
   * @return what decisions may know of the Secret as it is now (null: it is gone), the check,
   *     and the values to redact in what the engine prints
   */
  Checked check(DatabaseMigration dbm, String host) {
    Secret secret = read(dbm);
    return new Checked(SecretView.of(dbm, secret), probe(dbm, secret, host),
        secretsToRedact(dbm, secret));
  }

  /** What decisions may know of the Secret, read from the API server; null: there is none. */
  SecretView view(DatabaseMigration dbm) {
    return SecretView.of(dbm, read(dbm));
  }

  private Secret read(DatabaseMigration dbm) {
    return EventSources.secretName(dbm).map(name -> client.secrets()
        .inNamespace(dbm.getMetadata().getNamespace()).withName(name).get()).orElse(null);
  }

  private Probe probe(DatabaseMigration dbm, Secret secret, String host) {
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

  /** The values to scrub from anything the operator writes: the password, decoded. */
  private static List<String> secretsToRedact(DatabaseMigration dbm, Secret secret) {
    if (secret == null || secret.getData() == null) {
      return List.of();
    }
    String password = SecretView.decode(secret.getData().get(keys(dbm).passwordOrDefault()));
    return password == null ? List.of() : List.of(password);
  }

  private static SecretKeys keys(DatabaseMigration dbm) {
    return dbm.getSpec().getDatabase().getCredentialsSecret().keysOrDefault();
  }

  /** One check's result; see {@link #check}. */
  record Checked(SecretView secret, Probe probe, List<String> scrub) {
  }
}
