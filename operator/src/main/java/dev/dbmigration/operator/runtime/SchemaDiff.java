package dev.dbmigration.operator.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Where two OpenAPI schemas of a CRD differ, spelled as the fields a person looks up in the CRD
 * ({@code spec.workingDir pattern}, {@code spec.job.resources.limits x-kubernetes-validations}).
 */
final class SchemaDiff {

  private SchemaDiff() {
  }

  /** Every difference, in field order; empty when the two are the same. */
  static List<String> of(JsonNode installed, JsonNode own) {
    List<String> out = new ArrayList<>();
    compare("", installed, own, out);
    return out;
  }

  private static void compare(String path, JsonNode a, JsonNode b, List<String> out) {
    if (Objects.equals(a, b)) {
      return;
    }
    if (a == null || b == null || !a.isObject() || !b.isObject()) {
      out.add(path.isEmpty() ? "(the whole schema)" : path);
      return;
    }
    for (String key : keys(a, b)) {
      JsonNode x = a.get(key);
      JsonNode y = b.get(key);
      if (Objects.equals(x, y)) {
        continue;
      }
      boolean objects = x != null && y != null && x.isObject() && y.isObject();
      if (key.equals("properties") && objects) {
        for (String property : keys(x, y)) {
          compare(join(path, property), x.get(property), y.get(property), out);
        }
      } else if (key.equals("items") && objects) {
        compare(path + "[]", x, y, out);
      } else if (key.equals("additionalProperties") && objects) {
        compare(join(path, "*"), x, y, out);
      } else {
        out.add((path.isEmpty() ? "" : path + " ") + key);
      }
    }
  }

  private static TreeSet<String> keys(JsonNode a, JsonNode b) {
    TreeSet<String> keys = new TreeSet<>();
    for (Iterator<String> names = a.fieldNames(); names.hasNext(); ) {
      keys.add(names.next());
    }
    for (Iterator<String> names = b.fieldNames(); names.hasNext(); ) {
      keys.add(names.next());
    }
    return keys;
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
