package dev.dbmigration.operator.database;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A version table of the user's own tooling (engine command, spec.versionTable). Names are
 * lower-case PostgreSQL identifiers, checked again here although the CRD holds them, and always
 * quoted: they reach the query as names and as nothing else.
 *
 * @param schema null: found through the session's search_path, as the tool finds it
 * @param orderBy null: every distinct value counts (a one-row table, or one row per head);
 *     otherwise the value of the row where this column is greatest
 */
public record UserVersionTable(String schema, String table, String column, String orderBy)
    implements RevisionSource {

  /** Most values a table without orderBy reports; more is no version table. */
  static final int MAX_VALUES = 16;
  /** Longest value reported: a revision is an id, not a document. */
  static final int MAX_VALUE_LENGTH = 128;

  private static final Pattern NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

  public UserVersionTable {
    requireName(table, "table");
    requireName(column, "column");
    if (schema != null) {
      requireName(schema, "schema");
    }
    if (orderBy != null) {
      requireName(orderBy, "orderBy");
    }
  }

  /** From spec.versionTable: {@code name} is {@code table} or {@code schema.table}. */
  public static UserVersionTable of(String name, String column, String orderBy) {
    Objects.requireNonNull(name, "name");
    int dot = name.indexOf('.');
    return dot < 0 ? new UserVersionTable(null, name, column, orderBy)
        : new UserVersionTable(name.substring(0, dot), name.substring(dot + 1), column, orderBy);
  }

  @Override
  public String existsQuery() {
    return "SELECT to_regclass('" + qualified() + "') IS NOT NULL";
  }

  @Override
  public String revisionQuery() {
    String value = quote(column) + "::text";
    String from = " FROM " + qualified() + " WHERE " + quote(column) + " IS NOT NULL";
    return orderBy == null
        ? "SELECT DISTINCT " + value + from + " ORDER BY 1 LIMIT " + (MAX_VALUES + 1)
        : "SELECT " + value + from + " ORDER BY " + quote(orderBy) + " DESC NULLS LAST LIMIT 1";
  }

  @Override
  public Revision fold(List<String> rows) {
    List<String> values = rows.stream().filter(Objects::nonNull).map(UserVersionTable::printable)
        .filter(v -> !v.isEmpty()).distinct().sorted().toList();
    if (values.size() > MAX_VALUES) {
      return Revision.of(values.size() + " values in " + describe() + " (not a version table?)");
    }
    return new Revision(values);
  }

  @Override
  public String describe() {
    return (schema == null ? "" : schema + ".") + table + "." + column;
  }

  private String qualified() {
    return (schema == null ? "" : quote(schema) + ".") + quote(table);
  }

  private static String quote(String name) {
    return '"' + name + '"';
  }

  // The value goes into status and a printer column: one short line, nothing a terminal acts on.
  private static String printable(String value) {
    StringBuilder out = new StringBuilder();
    value.strip().codePoints().limit(MAX_VALUE_LENGTH).forEach(cp -> out.appendCodePoint(
        Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT ? '?' : cp));
    return out.toString();
  }

  private static void requireName(String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " must be a lower-case PostgreSQL name, got "
          + name);
    }
  }
}
