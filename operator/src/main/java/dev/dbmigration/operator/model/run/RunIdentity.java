package dev.dbmigration.operator.model.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one identity of a run, {@code g<generation>-<hash>}: kept in {@code status.runIdentity}
 * and ending the name of each of the run's Jobs, so a restarted operator finds the Job it made.
 * The hash covers the resource (uid), the spec without {@code suspend}, the rerun token, the
 * followed image, and the generation at which that combination first held. So pausing and
 * resuming (which bumps the generation) still names the same run and never runs a finished
 * migration again, while a spec changed back to an earlier value (A, B, A) is a new run: the
 * database has moved since A ran.
 */
public record RunIdentity(long generation, String hash) {

  static final int HASH_LENGTH = 5;
  private static final Pattern TEXT = Pattern.compile("^g([0-9]{1,18})-([a-z2-7]{5})$");
  /** A Job name of the operator before this identity: {@code <name>-g<generation>-<hash>}. */
  private static final Pattern LEGACY_JOB = Pattern.compile("-(g[0-9]{1,18}-[a-z2-7]{5})$");
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  /** Fields as a spec written with no values holds them: the defaults, left out of the hash. */
  private static final ObjectNode DEFAULTS =
      Serialization.jsonMapper().valueToTree(new DatabaseMigrationSpec());

  public String text() {
    return "g" + generation + "-" + hash;
  }

  /**
   * The run that {@code dbm} asks for now. {@code previous} is the resource's stored status: when
   * the run it names still answers the spec (only {@code suspend} changed since), that run.
   */
  public static RunIdentity of(DatabaseMigration dbm, String followedImage,
      DatabaseMigrationStatus previous) {
    long current = generationOf(dbm);
    Optional<RunIdentity> stored = previous == null ? Optional.empty()
        : parse(previous.getRunIdentity());
    if (stored.isPresent() && stored.get().generation() <= current
        && stored.get().hash().equals(hash(dbm, followedImage, stored.get().generation()))) {
      return stored.get();
    }
    return legacy(dbm, followedImage, previous)
        .orElseGet(() -> new RunIdentity(current, hash(dbm, followedImage, current)));
  }

  /** The identity a status names, if it names one in this form. */
  public static Optional<RunIdentity> parse(String text) {
    Matcher m = text == null ? null : TEXT.matcher(text);
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new RunIdentity(Long.parseLong(m.group(1)), m.group(2)));
  }

  /**
   * A status written before this identity existed: its Job name ended in a generation and a hash
   * of other inputs. When it reported the generation, token and image asked for now, it is that
   * run, so upgrading the operator never reruns a finished migration. (Its hash is of other
   * inputs; it stays this run's until the generation, token or image moves on.)
   */
  private static Optional<RunIdentity> legacy(DatabaseMigration dbm, String followedImage,
      DatabaseMigrationStatus previous) {
    if (previous == null || previous.getJobName() == null) {
      return Optional.empty();
    }
    Matcher m = LEGACY_JOB.matcher(previous.getJobName().replaceFirst("-a[0-9]+$", ""));
    boolean sameAsked = previous.getObservedGeneration() != null
        && previous.getObservedGeneration() == generationOf(dbm)
        && Objects.equals(emptyToNull(previous.getRerun()), emptyToNull(rerunTokenOf(dbm)))
        && (followedImage == null || followedImage.equals(previous.getImage()));
    if (!m.find() || !sameAsked) {
      return Optional.empty();
    }
    return parse(m.group(1));
  }

  /** The generation a resource is at; one not yet stored has none and counts as the first. */
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

  private static String hash(DatabaseMigration dbm, String followedImage, long generation) {
    String text = Objects.toString(dbm.getMetadata().getUid(), "") + "\n" + generation + "\n"
        + rerunTokenOf(dbm) + "\n" + Objects.toString(followedImage, "") + "\n"
        + canonicalSpec(dbm.getSpec());
    byte[] digest = sha256(text.getBytes(StandardCharsets.UTF_8));
    long bits = 0;
    for (int i = 0; i < 4; i++) {
      bits = (bits << 8) | (digest[i] & 0xff);
    }
    StringBuilder out = new StringBuilder(HASH_LENGTH);
    for (int i = 0; i < HASH_LENGTH; i++) {
      out.append(BASE32[(int) ((bits >>> (32 - 5 * (i + 1))) & 0x1f)]);
    }
    return out.toString();
  }

  /**
   * The spec without suspend and without fields that hold their default: a newer CRD that adds a
   * defaulted field changes every stored spec as read, and must not start every run again.
   */
  static String canonicalSpec(DatabaseMigrationSpec spec) {
    if (spec == null) {
      return "";
    }
    ObjectNode tree = Serialization.jsonMapper().valueToTree(spec);
    tree.remove("suspend");
    withoutDefaults(tree, DEFAULTS);
    return Serialization.asJson(tree);
  }

  private static void withoutDefaults(ObjectNode tree, JsonNode defaults) {
    Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode fallback = defaults == null ? null : defaults.get(field.getKey());
      if (field.getValue().isNull() || field.getValue().equals(fallback)) {
        fields.remove();
      } else if (field.getValue() instanceof ObjectNode child) {
        withoutDefaults(child, fallback);
        if (child.isEmpty()) {
          fields.remove();
        }
      }
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
