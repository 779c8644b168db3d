package dev.dbmigration.operator.localrun;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets of one namespace, read from the API server when a container starts, as the kubelet
 * reads them. Each Secret is read once per start, so all keys come from the same version.
 */
final class ClusterSecrets implements SecretLookup {

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, Optional<Secret>> read = new HashMap<>();

  ClusterSecrets(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  public Optional<String> find(String secretName, String key) {
    Optional<Secret> secret = read.computeIfAbsent(secretName, name ->
        Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get()));
    return secret
        .map(Secret::getData)
        .map(data -> data.get(key))
        .map(encoded -> decode(secretName, key, encoded));
  }

  // The decoder's own message quotes the offending character: part of a value, so not passed on.
  private String decode(String secretName, String key, String encoded) {
    try {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("key " + key + " of Secret " + namespace + "/" + secretName
          + " is not valid base64");
    }
  }
}
