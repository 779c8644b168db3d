package dev.dbmigration.operator.localrun;

import java.nio.charset.StandardCharsets;

/**
 * The end of a process's output. {@link #text()} is as much as the kubelet puts in a termination
 * message under {@code FallbackToLogsOnError}: the last 80 lines, at most 2048 bytes of them.
 * {@link #longText()} keeps more, standing in for the log a kubelet would serve.
 */
final class OutputTail {

  static final int MAX_BYTES = 2048;
  static final int MAX_LINES = 80;
  static final int LONG_MAX_BYTES = 16384;
  static final int LONG_MAX_LINES = 400;

  private final byte[] ring = new byte[LONG_MAX_BYTES];
  private long written;

  synchronized void write(byte[] bytes, int offset, int length) {
    // Only the last MAX_BYTES of a large write can survive.
    int skip = Math.max(0, length - LONG_MAX_BYTES);
    written += skip;
    for (int i = offset + skip; i < offset + length; i++) {
      ring[(int) (written % LONG_MAX_BYTES)] = bytes[i];
      written++;
    }
  }

  synchronized String text() {
    return text(MAX_BYTES, MAX_LINES);
  }

  synchronized String longText() {
    return text(LONG_MAX_BYTES, LONG_MAX_LINES);
  }

  private String text(int maxBytes, int maxLines) {
    int size = (int) Math.min(written, maxBytes);
    byte[] bytes = new byte[size];
    long first = written - size;
    for (int i = 0; i < size; i++) {
      bytes[i] = ring[(int) ((first + i) % LONG_MAX_BYTES)];
    }
    int start = 0;
    // A cut through a multi-byte character would decode to a replacement character.
    while (first > 0 && start < size && (bytes[start] & 0xC0) == 0x80) {
      start++;
    }
    return lastLines(new String(bytes, start, size - start, StandardCharsets.UTF_8), maxLines);
  }

  private static String lastLines(String text, int maxLines) {
    // A final newline ends the last line; it does not start another one.
    int cursor = text.endsWith("\n") ? text.length() - 1 : text.length();
    for (int line = 0; line < maxLines; line++) {
      int newline = text.lastIndexOf('\n', cursor - 1);
      if (newline < 0) {
        return text;
      }
      cursor = newline;
    }
    return text.substring(cursor + 1);
  }
}
