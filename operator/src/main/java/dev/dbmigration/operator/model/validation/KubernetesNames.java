package dev.dbmigration.operator.model.validation;

import dev.dbmigration.operator.api.v1alpha1.Syntax;
import java.util.regex.Pattern;

/**
 * Whether a name may serve as a label value, and a safe way to echo a value the operator did not
 * choose (a pod's name or labels, a role label) in a status or a log line.
 */
public final class KubernetesNames {

  /** Most characters of a user's value that a message repeats. */
  public static final int MAX_ECHO = 64;

  private static final int MAX_LABEL_VALUE = 63;
  private static final Pattern LABEL_VALUE = Pattern.compile(Syntax.LABEL_VALUE);

  private KubernetesNames() {
  }

  /** A label value: empty, or at most 63 characters of the name alphabet. */
  public static boolean isLabelValue(String value) {
    // Length first: the regex never sees a long hostile string.
    return value != null && value.length() <= MAX_LABEL_VALUE && LABEL_VALUE.matcher(value).matches();
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
