package dev.dbmigration.operator.testing;

import dev.dbmigration.operator.api.v1alpha1.CredentialsSecret;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseSpec;
import dev.dbmigration.operator.api.v1alpha1.LeaderDiscovery;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;

/** Resources shaped like the seed's PR environments: Patroni cluster, app-db-* Secret keys. */
public final class Fixtures {

  public static final String IMAGE = "registry.example/wps-api:pr-1234";

  private Fixtures() {
  }

  /** A valid upgrade-to-head migration of cluster {@code patroni-<name>} with Secret {@code <name>-creds}. */
  public static DatabaseMigration migration(String namespace, String name) {
    DatabaseMigration dbm = new DatabaseMigration();
    dbm.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
    spec.setImage(IMAGE);
    spec.setWorkingDir("/app/bootstrap");
    DatabaseSpec database = new DatabaseSpec();
    CredentialsSecret secret = new CredentialsSecret();
    secret.setName(name + "-creds");
    database.setCredentialsSecret(secret);
    LeaderDiscovery leader = new LeaderDiscovery();
    leader.setSelector(Map.of("cluster-name", "patroni-" + name));
    database.setLeader(leader);
    spec.setDatabase(database);
    dbm.setSpec(spec);
    return dbm;
  }
}
