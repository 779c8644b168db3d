package dev.dbmigration.operator.model.review;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * What a plan depends on: the engine, the action, the database's revision it starts from, the
 * target, the image and the working directory. When any of them differs from what a plan was
 * made for, that plan (and an approval of it) says nothing about the run: a new one is made.
 */
public record PlanContext(String engine, String action, String from, String target, String image,
    String workingDir) {

  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  /** {@code <from>:<target>}, as Alembic's --sql takes a range. */
  public String range() {
    return from + ":" + target;
  }

  /** Five characters naming this context in the plan Job's name. */
  public String hash() {
    byte[] digest = sha256(String.join("\n", engine, action, from, target, image,
        Objects.toString(workingDir, "")));
    long bits = 0;
    for (int i = 0; i < 4; i++) {
      bits = (bits << 8) | (digest[i] & 0xff);
    }
    StringBuilder out = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      out.append(BASE32[(int) ((bits >>> (32 - 5 * (i + 1))) & 0x1f)]);
    }
    return out.toString();
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
