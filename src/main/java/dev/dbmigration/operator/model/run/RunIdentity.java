package dev.dbmigration.operator.model.run;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.model.job.JobNames;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a run answers: the spec without {@code suspend}, the rerun token and the followed image.
 * Kept in status so that pausing and resuming a resource, which bumps its generation, does not
 * run a finished migration again (a relative target such as +1 would otherwise apply twice).
 */
public final class RunIdentity {

  private RunIdentity() {
  }

  public static String of(DatabaseMigration dbm, String followedImage) {
    DatabaseMigrationSpec spec = Serialization.clone(dbm.getSpec());
    spec.setSuspend(null);
    String text = JobNames.rerunTokenOf(dbm) + "\n" + (followedImage == null ? "" : followedImage)
        + "\n" + Serialization.asJson(spec);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
