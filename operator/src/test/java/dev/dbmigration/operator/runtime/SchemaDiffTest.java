package dev.dbmigration.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SchemaDiffTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theSameSchemaHasNoDifferenceWhateverTheOrderOfItsKeys() throws Exception {
    JsonNode a = JSON.readTree("{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\","
        + "\"properties\":{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"integer\"}}}}}");
    JsonNode b = JSON.readTree("{\"properties\":{\"spec\":{\"properties\":{\"b\":{\"type\":"
        + "\"integer\"},\"a\":{\"type\":\"string\"}},\"type\":\"object\"}},\"type\":\"object\"}");

    assertThat(SchemaDiff.of(a, b)).isEmpty();
  }

  @Test
  void namesTheFieldAndTheKeywordThatDiffer() throws Exception {
    JsonNode installed = JSON.readTree("{\"required\":[\"x\"],\"properties\":{\"spec\":{"
        + "\"properties\":{\"workingDir\":{\"type\":\"string\",\"pattern\":\"^/.*$\"},"
        + "\"old\":{\"type\":\"string\"},"
        + "\"keys\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
        + "\"labels\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}}}}}");
    JsonNode own = JSON.readTree("{\"required\":[\"spec\"],\"properties\":{\"spec\":{"
        + "\"properties\":{\"workingDir\":{\"type\":\"string\",\"pattern\":\"^/[^$]*$\","
        + "\"maxLength\":1024},\"rerun\":{\"type\":\"string\"},"
        + "\"keys\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":63}},"
        + "\"labels\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\","
        + "\"pattern\":\"^a$\"}}},\"x-kubernetes-validations\":[{\"rule\":\"true\"}]}},"
        + "\"x\":1}");

    assertThat(SchemaDiff.of(installed, own)).containsExactly(
        "spec.keys[] maxLength", "spec.labels.* pattern", "spec.old", "spec.rerun",
        "spec.workingDir maxLength", "spec.workingDir pattern", "spec x-kubernetes-validations",
        "required", "x");
  }

  @Test
  void aSchemaThatIsNoObjectDiffersAsAWhole() throws Exception {
    assertThat(SchemaDiff.of(JSON.readTree("[]"), JSON.readTree("{}")))
        .containsExactly("(the whole schema)");
  }
}
