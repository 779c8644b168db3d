package dev.dbmigration.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every default is written once, as a constant of the API class: the CRD's {@code default}, the
 * field's initializer and the class's {@code xOrDefault()} accessor must all say the same, or a
 * spec built in code (tests, local mode) would behave unlike one the API server filled in.
 */
class CrdDefaultsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void initializersAndAccessorsAgreeWithTheCrdDefaults() throws Exception {
    JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(
        Path.of("operator/target/classes/META-INF/fabric8/databasemigrations.dbmigration.dev-v1.yml").toFile());
    JsonNode spec = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    List<String> checked = new ArrayList<>();

    check("spec", spec, DatabaseMigrationSpec.class, checked);

    assertThat(checked).as("the defaults the CRD declares").hasSizeGreaterThanOrEqualTo(20);
  }

  private static void check(String path, JsonNode schema, Class<?> type, List<String> checked)
      throws Exception {
    Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> property = properties.next();
      String name = property.getKey();
      JsonNode propertySchema = property.getValue();
      String field = path + "." + name;
      if (propertySchema.has("default")) {
        JsonNode expected = propertySchema.get("default");
        Object fresh = type.getDeclaredConstructor().newInstance();
        // As JSON text: the CRD's 1800 reads as an int, a Long field writes a long.
        String initial = String.valueOf(JSON.valueToTree(fresh).get(name));
        assertThat(initial).as("%s: initializer", field).isEqualTo(expected.toString());
        Object unset = JSON.readValue("{\"" + name + "\":null}", type);
        Method accessor = type.getMethod(name + "OrDefault");
        String inForce = JSON.writeValueAsString(accessor.invoke(unset));
        assertThat(inForce).as("%s: %s()", field, accessor.getName())
            .isEqualTo(expected.toString());
        checked.add(field);
      }
      if ("object".equals(propertySchema.path("type").asText())
          && propertySchema.has("properties")) {
        check(field, propertySchema, type.getDeclaredField(name).getType(), checked);
      }
    }
  }
}
