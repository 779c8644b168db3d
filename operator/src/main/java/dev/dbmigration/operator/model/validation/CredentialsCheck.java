package dev.dbmigration.operator.model.validation;

import dev.dbmigration.operator.api.v1alpha1.CredentialsSecret;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.api.v1alpha1.SecretKeys;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that the credentials Secret has every key the Job will reference. Only key names are
 * looked at and reported; values are never copied out of the Secret.
 */
public final class CredentialsCheck {

  private CredentialsCheck() {
  }

  /** Empty when the Job can be created; otherwise why not, as a waiting state. */
  public static Optional<Problem> check(CredentialsSecret ref, String namespace,
      SecretView secret) {
    if (secret == null) {
      return Optional.of(new Problem(Reasons.SECRET_NOT_FOUND,
          "Secret " + ref.getName() + " not found in namespace " + namespace));
    }
    SecretKeys keys = ref.keysOrDefault();
    Set<String> wanted = new LinkedHashSet<>(List.of(keys.databaseOrDefault(),
        keys.usernameOrDefault(), keys.passwordOrDefault()));
    List<String> missing = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    for (String key : wanted) {
      if (!secret.keys().contains(key)) {
        missing.add(key);
      } else if (secret.emptyKeys().contains(key)) {
        empty.add(key);
      }
    }
    if (missing.isEmpty() && empty.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder message = new StringBuilder("Secret ").append(ref.getName());
    if (!missing.isEmpty()) {
      message.append(" has no key ").append(String.join(", ", missing));
    }
    if (!empty.isEmpty()) {
      message.append(missing.isEmpty() ? " has" : " and").append(" an empty value for ")
          .append(String.join(", ", empty));
    }
    return Optional.of(new Problem(Reasons.SECRET_KEY_MISSING, message.toString()));
  }

  /** Why the Secret cannot be used yet. */
  public record Problem(String reason, String message) {
  }
}
