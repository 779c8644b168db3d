package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code spec.job.resources} without parsing its quantities. The schema takes any string
 * there, and fabric8's own reader throws on some (an empty one): thrown inside the informer, that
 * stops the operator's watch of every DatabaseMigration for one bad resource. Read as written,
 * the value reaches the spec validator, which answers that resource alone with phase Invalid.
 */
public final class ResourcesDeserializer extends JsonDeserializer<ResourceRequirements> {

  private static final String[] QUANTITY_MAPS = {"limits", "requests"};

  @Override
  public ResourceRequirements deserialize(JsonParser parser, DeserializationContext context)
      throws IOException {
    JsonNode tree = parser.readValueAsTree();
    if (!(tree instanceof ObjectNode object)) {
      return context.readTreeAsValue(tree, ResourceRequirements.class);
    }
    ObjectNode rest = object.deepCopy();
    Map<String, Map<String, Quantity>> quantities = new LinkedHashMap<>();
    for (String name : QUANTITY_MAPS) {
      JsonNode entries = rest.remove(name);
      if (entries != null && entries.isObject()) {
        quantities.put(name, unparsed(entries));
      }
    }
    ResourceRequirements resources = context.readTreeAsValue(rest, ResourceRequirements.class);
    if (quantities.containsKey("limits")) {
      resources.setLimits(quantities.get("limits"));
    }
    if (quantities.containsKey("requests")) {
      resources.setRequests(quantities.get("requests"));
    }
    return resources;
  }

  private static Map<String, Quantity> unparsed(JsonNode entries) {
    Map<String, Quantity> map = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = entries.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      map.put(field.getKey(), value == null || value.isNull() ? null : quantity(value.asText()));
    }
    return map;
  }

  /** As fabric8 reads it when it can; else the text kept as it is (the two-argument form). */
  private static Quantity quantity(String text) {
    try {
      return Quantity.parse(text);
    } catch (IllegalArgumentException e) {
      return new Quantity(text, "");
    }
  }
}
