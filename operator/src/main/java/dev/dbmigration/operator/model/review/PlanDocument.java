package dev.dbmigration.operator.model.review;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A plan's text as the operator keeps it: a header naming what it was made for (resource, run,
 * engine, range, image, working directory), then the engine's output, at most
 * {@value #MAX_BYTES} bytes of it. The digest is sha256 of exactly this text, so
 * {@code sha256sum} of the ConfigMap's data.plan gives it again, and the context is part of
 * what is digested.
 */
public record PlanDocument(String text, String digest, boolean truncated) {

  /** Well within a ConfigMap's 1 MiB, which holds the resource's other fields too. */
  public static final int MAX_BYTES = 512 * 1024;
  static final String CUT = "\n-- (cut: the plan is longer than the operator keeps)\n";

  public static PlanDocument of(String resource, String run, PlanContext context,
      String body, boolean sql) {
    String header = "-- plan of databasemigration " + resource + ", run " + run + "\n"
        + "-- " + context.engine() + " " + context.action() + " " + context.range()
        + (sql ? " (offline SQL)" : " (the engine renders no SQL ahead: its list of pending"
        + " migrations)") + "\n"
        + "-- image " + context.image() + (context.workingDir() == null ? ""
        : ", working directory " + context.workingDir()) + "\n\n";
    String text = header + body;
    boolean truncated = false;
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BYTES) {
      int keep = MAX_BYTES - CUT.getBytes(StandardCharsets.UTF_8).length;
      // Back off to a character boundary: a UTF-8 continuation byte starts no character.
      while (keep > 0 && (bytes[keep] & 0xc0) == 0x80) {
        keep--;
      }
      text = new String(bytes, 0, keep, StandardCharsets.UTF_8) + CUT;
      truncated = true;
    }
    return new PlanDocument(text, HexFormat.of().formatHex(PlanContext.sha256(text)), truncated);
  }
}
