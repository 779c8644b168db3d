package dev.dbmigration.operator.database;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Makes text from a driver or a migration tool fit for status and events: no passwords, no
 * terminal escapes, and, through {@link #tail}, only as long as a status field can hold. Pure
 * functions, no state.
 */
public final class Redactor {

  public static final String MASK = "***";

  /**
   * Known secrets shorter than this are not masked verbatim. A one to three character password
   * occurs by chance in almost any text, so masking each occurrence would shred the very message
   * that explains the failure, while a password that short is no protection anyway. The generic
   * patterns still mask it wherever it stands as a password: after password=, in a URL's userinfo.
   */
  public static final int MIN_SECRET_LENGTH = 4;

  /** What {@link #tail} puts in front of text it has cut. */
  public static final String CUT_MARKER = "…\n";

  private static final char REPLACEMENT = '\uFFFD';

  // CSI (colours, cursor moves), OSC (titles, hyperlinks; ended by BEL or ESC \, or unterminated)
  // and the other escapes of one or two more bytes.
  private static final Pattern ANSI_ESCAPE = Pattern.compile(
      "\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|[ -/]*[0-~])");

  // scheme://user:password@host for any scheme, as SQLAlchemy spells drivers into it
  // (postgresql+psycopg2://). The password runs to the last @ of the URL, because a password with
  // a raw @ or / in it is exactly what makes a tool fail to parse the URL and print it back.
  // The lookbehind starts a match only where a scheme can start, and the bound keeps the
  // backtracking to that last @ linear.
  private static final Pattern URL_USERINFO = Pattern.compile(
      "(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*://[^\\s:/@'\"<>]*:)[^\\s'\"<>]{0,512}@");

  // password=..., PASSWORD: ..., PGPASSWORD=..., "db_password": "...", Pwd=...; with the key kept,
  // so the reader still sees what was there. Only after = or :, so "password authentication
  // failed" stays readable. A quoted value may be cut off; it is masked to the end of the line.
  // pwd also masks a shell's PWD=/some/dir: a harmless loss for the JDBC/ODBC Pwd= it catches.
  private static final Pattern KEY_VALUE = Pattern.compile(
      "(?i)(?<![\\w.-])([\\w.-]*?(?:password|passwd|pwd)[\"']?[ \\t]*[=:][ \\t]*)"
          + "(\"(?:[^\"\\\\\\n]|\\\\.)*\"?|'[^'\\n]*'?|[^\\s,;&'\"}\\])]+)");

  private Redactor() {
  }

  /**
   * {@code text} without ANSI escapes, with line ends made {@code \n} and other control characters
   * but tab replaced by U+FFFD, then every known secret and everything that looks like a password
   * masked with {@value #MASK}. Null text is the empty string; null or blank secrets are ignored.
   * A secret is also found URL-encoded, form-encoded or backslash-escaped, as a connection URL,
   * JSON or a Python repr would show it, and inside longer words: a secret is masked wherever it
   * stands, since any part of it left visible helps guess it. Secrets shorter than
   * {@value #MIN_SECRET_LENGTH} characters are left to the generic patterns.
   */
  public static String redact(String text, Collection<String> secrets) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String clean = withoutControls(text);
    Pattern known = knownSecrets(secrets);
    if (known != null) {
      clean = known.matcher(clean).replaceAll(Matcher.quoteReplacement(MASK));
    }
    clean = URL_USERINFO.matcher(clean).replaceAll(
        m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
    return KEY_VALUE.matcher(clean).replaceAll(
        m -> Matcher.quoteReplacement(m.group(1) + masked(m.group(2))));
  }

  /**
   * The last {@code maxLines} lines of {@code text}, and of those at most the last
   * {@code maxChars} characters, {@link #CUT_MARKER} included: the end of a failed migration's
   * output is where the error is. A line cut by the character limit is dropped unless it is the
   * only one. Trailing line ends do not count as lines. Redact before cutting, never after, or a
   * cut through a secret leaves a piece no pattern recognises: {@link #excerpt} does both.
   */
  public static String tail(String text, int maxLines, int maxChars) {
    if (maxLines < 1) {
      throw new IllegalArgumentException("maxLines must be at least 1, got " + maxLines);
    }
    if (maxChars <= CUT_MARKER.length()) {
      throw new IllegalArgumentException(
          "maxChars must be more than " + CUT_MARKER.length() + ", got " + maxChars);
    }
    if (text == null) {
      return "";
    }
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == '\n') {
      end--;
    }
    int begin = startOfLastLines(text, end, maxLines);
    if (begin == 0 && end <= maxChars) {
      return text.substring(0, end);
    }
    int budget = maxChars - CUT_MARKER.length();
    if (end - begin > budget) {
      int cut = end - budget;
      int nextLine = text.indexOf('\n', cut);
      boolean midLine = text.charAt(cut - 1) != '\n';
      if (midLine && nextLine >= 0 && nextLine < end - 1) {
        cut = nextLine + 1;
      } else if (Character.isLowSurrogate(text.charAt(cut))) {
        cut++;
      }
      begin = cut;
    }
    return CUT_MARKER + text.substring(begin, end);
  }

  /** {@link #redact} then {@link #tail}, in the only safe order. */
  public static String excerpt(String text, Collection<String> secrets, int maxLines,
      int maxChars) {
    return tail(redact(text, secrets), maxLines, maxChars);
  }

  private static int startOfLastLines(String text, int end, int maxLines) {
    int lineEnd = end;
    for (int kept = 0; kept < maxLines; kept++) {
      int newline = lineEnd <= 0 ? -1 : text.lastIndexOf('\n', lineEnd - 1);
      if (newline < 0) {
        return 0;
      }
      if (kept == maxLines - 1) {
        return newline + 1;
      }
      lineEnd = newline;
    }
    return 0;
  }

  private static String withoutControls(String text) {
    String plain = ANSI_ESCAPE.matcher(text).replaceAll("");
    StringBuilder out = new StringBuilder(plain.length());
    for (int i = 0; i < plain.length(); i++) {
      char c = plain.charAt(i);
      if (c == '\r') {
        // CRLF is one line end. A lone CR is how progress bars redraw a line; as a line end each
        // redraw stays readable instead of running into the next.
        if (i + 1 >= plain.length() || plain.charAt(i + 1) != '\n') {
          out.append('\n');
        }
      } else if (c == '\n' || c == '\t' || !Character.isISOControl(c)) {
        out.append(c);
      } else {
        out.append(REPLACEMENT);
      }
    }
    return out.toString();
  }

  // One alternation, longest secret first: a secret that contains another is masked whole
  // instead of leaving its remainder next to the shorter one's mask.
  private static Pattern knownSecrets(Collection<String> secrets) {
    if (secrets == null) {
      return null;
    }
    List<String> usable = secrets.stream()
        .filter(Objects::nonNull)
        .filter(s -> !s.isBlank() && s.length() >= MIN_SECRET_LENGTH)
        .distinct()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .toList();
    if (usable.isEmpty()) {
      return null;
    }
    return Pattern.compile(usable.stream().map(Redactor::anySpelling)
        .collect(Collectors.joining("|")));
  }

  /**
   * A regex for {@code secret} as written and as URLs and string literals spell it: each
   * character but ASCII letters and digits may be percent-encoded (either hex case), preceded by
   * a backslash, and a space may be a {@code +}.
   */
  static String anySpelling(String secret) {
    StringBuilder regex = new StringBuilder();
    secret.codePoints().forEach(cp -> {
      if (cp < 128 && Character.isLetterOrDigit(cp)) {
        regex.append((char) cp);
        return;
      }
      String character = new String(Character.toChars(cp));
      regex.append("(?:\\\\?").append(Pattern.quote(character))
          .append("|(?i:").append(percentEncoded(character)).append(')');
      if (cp == ' ') {
        regex.append("|\\+");
      }
      regex.append(')');
    });
    return regex.toString();
  }

  private static String percentEncoded(String character) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
      encoded.append(String.format("%%%02X", b & 0xff));
    }
    return encoded.toString();
  }

  // Keeps the value's quotes, so the masked text still parses the way the original did.
  private static String masked(String value) {
    char first = value.charAt(0);
    if (first != '"' && first != '\'') {
      return MASK;
    }
    boolean closed = value.length() > 1 && value.charAt(value.length() - 1) == first;
    return first + MASK + (closed ? String.valueOf(first) : "");
  }
}
