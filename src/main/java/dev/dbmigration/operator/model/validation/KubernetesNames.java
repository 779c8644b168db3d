package dev.dbmigration.operator.model.validation;

import java.util.regex.Pattern;

/**
 * Kubernetes' own name rules (as in apimachinery's validation), and a safe way to echo a value
 * that broke them.
 *
 * <p>Every check bounds the length before it runs a regular expression, so that a huge hostile
 * string can neither take long nor overflow the stack of the regex engine.
 */
public final class KubernetesNames {

  /** Most characters of a user's value that a message repeats. */
  public static final int MAX_ECHO = 64;

  public static final int MAX_DNS_SUBDOMAIN = 253;
  public static final int MAX_LABEL_NAME = 63;

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private KubernetesNames() {
  }

  /** A DNS-1123 subdomain: the name of most objects (Secrets, ServiceAccounts, ...). */
  public static boolean isDnsSubdomain(String value) {
    return value != null
        && !value.isEmpty()
        && value.length() <= MAX_DNS_SUBDOMAIN
        && DNS_SUBDOMAIN.matcher(value).matches();
  }

  /** A label (or annotation) key: {@code [dns-subdomain/]name}, name at most 63 characters. */
  public static boolean isLabelKey(String key) {
    if (key == null || key.length() > MAX_DNS_SUBDOMAIN + 1 + MAX_LABEL_NAME) {
      return false;
    }
    int slash = key.indexOf('/');
    if (slash < 0) {
      return isQualifiedName(key);
    }
    // The name part may not hold another '/', which the name pattern already excludes.
    return isDnsSubdomain(key.substring(0, slash)) && isQualifiedName(key.substring(slash + 1));
  }

  /** A label value: empty, or at most 63 characters of the name alphabet. */
  public static boolean isLabelValue(String value) {
    return value != null && (value.isEmpty() || isQualifiedName(value));
  }

  private static boolean isQualifiedName(String name) {
    return !name.isEmpty() && name.length() <= MAX_LABEL_NAME && QUALIFIED_NAME.matcher(name).matches();
  }

  /**
   * The value in double quotes, fit to be put into a status or an event: at most {@value #MAX_ECHO}
   * characters of it (then "…"), control and other invisible trickery characters replaced by '?'.
   */
  public static String quote(String value) {
    return value == null ? "null" : '"' + printable(value) + '"';
  }

  /** Like {@link #quote(String)} without the quotes. */
  public static String printable(String value) {
    if (value == null) {
      return "null";
    }
    int end = Math.min(value.length(), MAX_ECHO);
    // Do not cut a surrogate pair in half; the lone half would be masked anyway, but the character
    // is better dropped whole.
    if (end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    StringBuilder out = new StringBuilder(end + 1);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(value.charAt(i + 1))) {
        out.append(c).append(value.charAt(++i));
      } else if (Character.isSurrogate(c) || isUnsafe(c)) {
        out.append('?');
      } else {
        out.append(c);
      }
    }
    if (end < value.length()) {
      out.append('…');
    }
    return out.toString();
  }

  /**
   * C0/C1 controls and DEL could forge lines in logs and terminals; line separators and bidi
   * overrides could make a message read differently from what it holds.
   */
  private static boolean isUnsafe(char c) {
    return Character.isISOControl(c)
        || c == '\u2028' || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
