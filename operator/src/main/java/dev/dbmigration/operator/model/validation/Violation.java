package dev.dbmigration.operator.model.validation;

/**
 * One rule a resource breaks. {@code field} is the JSON path under the resource, e.g.
 * {@code spec.database.leader.selector}; {@code message} never holds more than a short, masked
 * excerpt of the offending value (see {@link KubernetesNames#quote(String)}).
 */
public record Violation(String field, String message) {

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
