package dev.dbmigration.operator.controller;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replaces the empty lists and maps of a Kubernetes model object, and of the model objects in it,
 * by the shared immutable empties. The model classes give every object a new empty map for
 * unknown properties and a new empty list per list field, whether or not anything is ever put in:
 * in a pruned pod those are most of its bytes. Only for objects no one changes afterwards (the
 * informers' cached forms).
 */
final class SharedEmpties {

  private static final String MODEL = "io.fabric8.kubernetes.api.model";
  private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
    @Override
    protected List<Field> computeValue(Class<?> type) {
      List<Field> fields = new ArrayList<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field field : c.getDeclaredFields()) {
          if (!Modifier.isStatic(field.getModifiers()) && !Modifier.isFinal(field.getModifiers())
              && !field.getType().isPrimitive()) {
            field.setAccessible(true);
            fields.add(field);
          }
        }
      }
      return List.copyOf(fields);
    }
  };

  private SharedEmpties() {
  }

  static <T> T in(T object) {
    if (object == null || !object.getClass().getName().startsWith(MODEL)) {
      return object;
    }
    try {
      for (Field field : FIELDS.get(object.getClass())) {
        Object value = field.get(object);
        if (value instanceof List<?> list) {
          if (list.isEmpty()) {
            field.set(object, List.of());
          } else {
            list.forEach(SharedEmpties::in);
          }
        } else if (value instanceof Map<?, ?> map) {
          if (map.isEmpty()) {
            field.set(object, Map.of());
          }
        } else {
          in(value);
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot compact " + object.getClass(), e);
    }
    return object;
  }
}
