package dev.dbmigration.operator.model.job;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;

/**
 * Names the Job of a run. The name is derived only from the resource, so an operator that restarts
 * finds the Job it already created instead of starting the migration a second time.
 */
public final class JobNames {

  // The Job controller copies the Job name into a pod label, which allows 63 characters at most.
  static final int MAX_LENGTH = 63;
  static final int HASH_LENGTH = 5;
  private static final String FALLBACK_PREFIX = "dbm";
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private JobNames() {
  }

  /** {@code <name>-g<generation>-<hash>}: a DNS-1123 label of at most 63 characters. */
  public static String forRun(DatabaseMigration dbm) {
    return forRun(dbm, null);
  }

  /**
   * As {@link #forRun(DatabaseMigration)}, for a resource that follows a workload's image: the
   * image is part of the run's identity, so each distinct image the app rolls out runs once
   * although the resource's generation stays the same.
   */
  public static String forRun(DatabaseMigration dbm, String followedImage) {
    return forAttempt(dbm, followedImage, 1);
  }

  /** As {@link #forAttempt(DatabaseMigration, String, int)} for a resource naming its image. */
  public static String forAttempt(DatabaseMigration dbm, int attempt) {
    return forAttempt(dbm, null, attempt);
  }

  /**
   * The Job of attempt {@code attempt} of the run (1 for the first, named as {@link #forRun});
   * {@code <name>-g<generation>-<hash>-a<attempt>} for the retries after a leader change. Only
   * the resource, the followed image and the attempt number go in, so a restarted operator finds
   * each attempt's Job.
   */
  public static String forAttempt(DatabaseMigration dbm, String followedImage, int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, got " + attempt);
    }
    long generation = generationOf(dbm);
    String identity = uidOf(dbm) + "/" + generation + "/" + rerunTokenOf(dbm)
        + (followedImage == null ? "" : "/" + followedImage);
    String suffix = "-g" + generation + "-" + hash(identity) + (attempt == 1 ? "" : "-a" + attempt);
    return prefix(dbm.getMetadata().getName(), MAX_LENGTH - suffix.length()) + suffix;
  }

  /** The generation a run answers; a resource not yet stored has none and counts as the first. */
  public static long generationOf(DatabaseMigration dbm) {
    Long generation = dbm.getMetadata().getGeneration();
    return generation != null ? generation : 1L;
  }

  /** The value of the rerun annotation, "" when it is not set. */
  public static String rerunTokenOf(DatabaseMigration dbm) {
    Map<String, String> annotations = dbm.getMetadata().getAnnotations();
    String token = annotations != null ? annotations.get(DatabaseMigration.RERUN_ANNOTATION) : null;
    return token != null ? token : "";
  }

  private static String uidOf(DatabaseMigration dbm) {
    ObjectMeta metadata = dbm.getMetadata();
    return metadata.getUid() != null ? metadata.getUid() : "";
  }

  // Resource names are DNS subdomains; dots are legal there but not in a DNS label.
  private static String prefix(String name, int maxLength) {
    String sanitized = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    String truncated = sanitized.length() > maxLength ? sanitized.substring(0, maxLength) : sanitized;
    String trimmed = truncated.replaceAll("^-+", "").replaceAll("-+$", "");
    return trimmed.isEmpty() ? FALLBACK_PREFIX : trimmed;
  }

  // Base32 rather than hex: 25 bits instead of 20 in the same five characters, all DNS-safe.
  private static String hash(String input) {
    byte[] digest = sha256(input.getBytes(StandardCharsets.UTF_8));
    long bits = 0;
    for (int i = 0; i < 4; i++) {
      bits = (bits << 8) | (digest[i] & 0xff);
    }
    StringBuilder out = new StringBuilder(HASH_LENGTH);
    for (int i = 0; i < HASH_LENGTH; i++) {
      int shift = 32 - 5 * (i + 1);
      out.append(BASE32[(int) ((bits >>> shift) & 0x1f)]);
    }
    return out.toString();
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
