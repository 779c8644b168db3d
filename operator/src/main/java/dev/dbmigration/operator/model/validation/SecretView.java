package dev.dbmigration.operator.model.validation;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.SecretKeys;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a decision may know of the credentials Secret: which keys it has, which of them are empty,
 * and the database's name (part of the key that serialises runs on one database). Never the user
 * or the password: those reach the Job by reference and the operator's own check at the moment of
 * use only.
 */
public record SecretView(String name, Set<String> keys, Set<String> emptyKeys,
    String databaseName) {

  public SecretView {
    keys = Set.copyOf(keys);
    emptyKeys = Set.copyOf(emptyKeys);
  }

  /** The view of {@code secret} for {@code dbm}; null when there is no Secret. */
  public static SecretView of(DatabaseMigration dbm, Secret secret) {
    if (secret == null) {
      return null;
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    Set<String> empty = new TreeSet<>();
    data.forEach((key, value) -> {
      if (value == null || value.isEmpty()) {
        empty.add(key);
      }
    });
    return new SecretView(secret.getMetadata().getName(), new TreeSet<>(data.keySet()), empty,
        decode(data.get(keysOf(dbm).databaseOrDefault())));
  }

  public static SecretKeys keysOf(DatabaseMigration dbm) {
    return dbm.getSpec().getDatabase().getCredentialsSecret().keysOrDefault();
  }

  /** A Secret value as text; null when absent or not base64. */
  public static String decode(String base64) {
    if (base64 == null) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
