package dev.dbmigration.operator.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana {@code label_values(...)} query) reads, so
 * that a test can hold them against a real scrape. A small lexer, not a parser: it skips string
 * literals, label matchers in braces, ranges in brackets, the label lists of by / without / on /
 * ignoring / group_left / group_right, numbers and durations, and takes every other identifier
 * that is neither a function call, an aggregation nor a keyword for a metric name.
 */
public final class PromQl {

  private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group",
      "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk",
      "limit_ratio");
  private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on",
      "ignoring", "group_left", "group_right");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset",
      "atan2", "inf", "nan");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$");
  private static final Pattern SELECTOR =
      Pattern.compile("^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(?:\\{(.*)})?\\s*$");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private PromQl() {
  }

  public static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '{') {
        i = skipTo(expr, i, '}');
      } else if (c == '[') {
        i = skipTo(expr, i, ']');
      } else if (c == '#') {
        int end = expr.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (Character.isDigit(c) || c == '.' && i + 1 < n
          && Character.isDigit(expr.charAt(i + 1))) {
        i++;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.'
            || expr.charAt(i) == '_')) {
          i++;
        }
      } else if (c == '$') {
        i++;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_')) {
          i++;
        }
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_'
            || expr.charAt(i) == ':')) {
          i++;
        }
        String word = expr.substring(start, i);
        int next = skipSpace(expr, i);
        String lower = word.toLowerCase();
        if (LABEL_LIST_KEYWORDS.contains(lower)) {
          if (next < n && expr.charAt(next) == '(') {
            i = skipTo(expr, next, ')');
          }
        } else if (KEYWORDS.contains(lower) || AGGREGATIONS.contains(lower)) {
          continue;
        } else if (next < n && expr.charAt(next) == '(') {
          continue; // a function call
        } else {
          names.add(word);
        }
      } else {
        i++;
      }
    }
    return names;
  }

  /** The metric names of a Grafana template variable's query, e.g. label_values(m{a="b"}, a). */
  public static Set<String> variableMetricNames(String query) {
    Matcher m = LABEL_VALUES.matcher(query);
    return metricNames(m.matches() ? m.group(1) : query);
  }

  /** The labels of a plain series selector such as promtool's input series, by name. */
  public static Map<String, String> selectorLabels(String selector) {
    Matcher m = SELECTOR.matcher(selector);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a series selector: " + selector);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (m.group(2) != null) {
      Matcher l = MATCHER.matcher(m.group(2));
      while (l.find()) {
        labels.put(l.group(1), l.group(3));
      }
    }
    return labels;
  }

  private static int skipString(String expr, int i) {
    char quote = expr.charAt(i);
    i++;
    while (i < expr.length() && expr.charAt(i) != quote) {
      i += expr.charAt(i) == '\\' && quote != '`' ? 2 : 1;
    }
    return i + 1;
  }

  /** Past the closing character, stepping over string literals in between. */
  private static int skipTo(String expr, int i, char close) {
    i++;
    while (i < expr.length() && expr.charAt(i) != close) {
      char c = expr.charAt(i);
      i = c == '"' || c == '\'' || c == '`' ? skipString(expr, i) : i + 1;
    }
    return i + 1;
  }

  private static int skipSpace(String expr, int i) {
    while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
      i++;
    }
    return i;
  }
}
