package dev.dbmigration.operator.model.job;

import static dev.dbmigration.operator.model.job.EnvVars.literal;

import dev.dbmigration.operator.api.v1alpha1.CaBundleSource;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseTls;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * spec.database.tls as the migration's pod sees it: the CA bundle as a file, libpq's
 * PGSSLMODE/PGSSLROOTCERT (alembic's psycopg2, psql, any libpq tool of a command) and the same
 * settings as JDBC URL parameters (Flyway, Liquibase). Without spec.database.tls nothing is set
 * and every driver keeps its default.
 */
public final class JobTls {

  /** The CA bundle's volume; the CRD keeps users' volumes off this prefix. */
  public static final String VOLUME = "dbmigration-tls-ca";
  /** Where the bundle is mounted; the CRD keeps users' mounts out of it. */
  public static final String MOUNT_PATH = "/etc/dbmigration/tls";
  public static final String CA_FILE = MOUNT_PATH + "/ca.crt";
  static final String PGSSLMODE = "PGSSLMODE";
  static final String PGSSLROOTCERT = "PGSSLROOTCERT";
  /** rw-r--r--: OpenShift's arbitrary UID reads it through "other". */
  private static final int FILE_MODE = 0444;

  private JobTls() {
  }

  private static Optional<DatabaseTls> tls(DatabaseMigrationSpec spec) {
    return Optional.ofNullable(spec.getDatabase()).map(d -> d.getTls());
  }

  /** libpq's variables: every engine gets them, a wrapper script of the image may use libpq. */
  static List<EnvVar> libpqEnv(DatabaseMigrationSpec spec) {
    List<EnvVar> env = new ArrayList<>();
    tls(spec).ifPresent(tls -> {
      env.add(literal(PGSSLMODE, tls.modeOrDefault().value()));
      if (tls.getCa() != null) {
        env.add(literal(PGSSLROOTCERT, CA_FILE));
      }
    });
    return env;
  }

  /** The JDBC URL's query for pgjdbc: {@code ?sslmode=...&sslrootcert=...}, or nothing. */
  static String jdbcQuery(DatabaseMigrationSpec spec) {
    return tls(spec).map(tls -> "?sslmode=" + tls.modeOrDefault().value()
        + (tls.getCa() == null ? "" : "&sslrootcert=" + CA_FILE)).orElse("");
  }

  /**
   * The CA bundle's volume: the one key, as ca.crt. Optional, so a bundle deleted after the
   * operator's check fails the run at once with the tool's "root certificate file ... does not
   * exist" instead of a pod stuck in ContainerCreating; no driver falls back to an unchecked
   * connection for a missing file.
   */
  static Optional<Volume> volume(DatabaseMigrationSpec spec) {
    return tls(spec).map(DatabaseTls::getCa).map(JobTls::volumeOf);
  }

  static Optional<VolumeMount> mount(DatabaseMigrationSpec spec) {
    return volume(spec).map(v -> new VolumeMountBuilder().withName(VOLUME)
        .withMountPath(MOUNT_PATH).withReadOnly(true).build());
  }

  private static Volume volumeOf(CaBundleSource ca) {
    var item = new KeyToPathBuilder().withKey(ca.reference().keyOrDefault()).withPath("ca.crt")
        .build();
    VolumeBuilder volume = new VolumeBuilder().withName(VOLUME);
    if (ca.getConfigMapKeyRef() != null) {
      return volume.withNewConfigMap().withName(ca.getConfigMapKeyRef().getName())
          .withItems(item).withDefaultMode(FILE_MODE).withOptional(true).endConfigMap().build();
    }
    return volume.withNewSecret().withSecretName(ca.getSecretKeyRef().getName())
        .withItems(item).withDefaultMode(FILE_MODE).withOptional(true).endSecret().build();
  }
}
