package dev.dbmigration.operator.localrun;

import java.util.Optional;

/**
 * Reads one key of a Secret in the pod's namespace, decoded; empty when the Secret or the key
 * does not exist.
 */
@FunctionalInterface
public interface SecretLookup {

  Optional<String> find(String secretName, String key);
}
