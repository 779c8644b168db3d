package dev.dbmigration.operator.localrun;

import java.nio.charset.StandardCharsets;

/**
 * The end of a process's output, as much as the kubelet puts in a termination message under
 * {@code FallbackToLogsOnError}: the last 80 lines, at most 2048 bytes of them.
 */
final class OutputTail {

  static final int MAX_BYTES = 2048;
  static final int MAX_LINES = 80;

  private final byte[] ring = new byte[MAX_BYTES];
  private long written;

  synchronized void write(byte[] bytes, int offset, int length) {
    // Only the last MAX_BYTES of a large write can survive.
    int skip = Math.max(0, length - MAX_BYTES);
    written += skip;
    for (int i = offset + skip; i < offset + length; i++) {
      ring[(int) (written % MAX_BYTES)] = bytes[i];
      written++;
    }
  }

  synchronized String text() {
    int size = (int) Math.min(written, MAX_BYTES);
    byte[] bytes = new byte[size];
    long first = written - size;
    for (int i = 0; i < size; i++) {
      bytes[i] = ring[(int) ((first + i) % MAX_BYTES)];
    }
    int start = 0;
    // A cut through a multi-byte character would decode to a replacement character.
    while (first > 0 && start < size && (bytes[start] & 0xC0) == 0x80) {
      start++;
    }
    return lastLines(new String(bytes, start, size - start, StandardCharsets.UTF_8));
  }

  private static String lastLines(String text) {
    // A final newline ends the last line; it does not start another one.
    int cursor = text.endsWith("\n") ? text.length() - 1 : text.length();
    for (int line = 0; line < MAX_LINES; line++) {
      int newline = text.lastIndexOf('\n', cursor - 1);
      if (newline < 0) {
        return text;
      }
      cursor = newline;
    }
    return text.substring(cursor + 1);
  }
}
