package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Where a command's own tooling records the schema revision, so that status.revision can say it.
 * Without orderBy every distinct value counts, as alembic_version's heads do; with it, the value
 * of the latest row, as a history table's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VersionTableSpec {

  public static final String DEFAULT_COLUMN = "version";

  @Required
  @Size(min = 1, max = 127)
  @Pattern(Syntax.SQL_TABLE)
  @JsonPropertyDescription("The table, optionally schema-qualified (schema.table), in lower case "
      + "as PostgreSQL folds unquoted names: letters, digits and '_'.")
  private String name;

  @Default(DEFAULT_COLUMN)
  @Size(min = 1, max = 63)
  @Pattern(Syntax.SQL_NAME)
  @JsonPropertyDescription("The column holding the revision.")
  private String column = DEFAULT_COLUMN;

  @Size(min = 1, max = 63)
  @Pattern(Syntax.SQL_NAME)
  @JsonPropertyDescription("A column to order the rows by: the revision is the column's value in "
      + "the row where this is greatest. Without it, every distinct value, sorted and "
      + "comma-separated (one row, or one per head).")
  private String orderBy;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getColumn() {
    return column;
  }

  public void setColumn(String column) {
    this.column = column;
  }

  public String getOrderBy() {
    return orderBy;
  }

  public void setOrderBy(String orderBy) {
    this.orderBy = orderBy;
  }

  /** The column in force (see {@link DatabaseMigrationSpec#engineOrDefault()} on defaults). */
  public String columnOrDefault() {
    return column != null ? column : DEFAULT_COLUMN;
  }
}
