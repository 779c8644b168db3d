package dev.dbmigration.operator.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * What is left of the operator's own check: a resource stored without a spec (possible under
 * every CRD before the current one). The rules of the spec are the CRD's; CrdValidationIT holds
 * the API server to them.
 */
class SpecValidatorTest {

  @Test
  void aResourceWithASpecIsForThePlanner() {
    assertThat(SpecValidator.validate(Fixtures.migration("pr-1234", "wps"))).isEmpty();
  }

  @Test
  void aResourceWithoutASpecIsInvalidNamingIt() {
    DatabaseMigration dbm = new DatabaseMigration();

    assertThat(SpecValidator.validate(dbm)).hasValueSatisfying(
        v -> assertThat(v).hasToString("spec: is required"));
    assertThat(SpecValidator.validate(null)).isPresent();
  }
}
