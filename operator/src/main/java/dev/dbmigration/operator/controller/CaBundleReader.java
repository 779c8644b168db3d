package dev.dbmigration.operator.controller;

import dev.dbmigration.operator.api.v1alpha1.CaBundleSource;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.database.CaBundle;
import dev.dbmigration.operator.model.validation.SecretView;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the CA bundle of spec.database.tls.ca when the operator is about to connect, and keeps
 * it nowhere: a rotated CA is used by the next check. One GET of one object, not an informer: a
 * cache of every ConfigMap of the watched namespaces would grow with the cluster for the few the
 * operator reads, and a CA is needed only at the moment of a check (a wrong one is looked at
 * again with the database's recheck).
 */
final class CaBundleReader {

  private final KubernetesClient client;

  CaBundleReader(KubernetesClient client) {
    this.client = client;
  }

  /** The bundle, or why it cannot be used, said for spec.database.tls.ca. */
  Result read(DatabaseMigration dbm, CaBundleSource source) {
    String namespace = dbm.getMetadata().getNamespace();
    String key = source.reference().keyOrDefault();
    String what = (source.getConfigMapKeyRef() != null ? "ConfigMap " : "Secret ")
        + source.reference().getName();
    String pem;
    try {
      pem = source.getConfigMapKeyRef() != null
          ? configMapValue(namespace, source.getConfigMapKeyRef().getName(), key)
          : secretValue(namespace, source.getSecretKeyRef().getName(), key);
    } catch (NotThere e) {
      return new Result.Unusable(what + e.getMessage());
    } catch (KubernetesClientException e) {
      return new Result.Unusable(what + " could not be read: "
          + KubernetesErrors.describe(e));
    }
    try {
      return new Result.Found(CaBundle.parse(pem));
    } catch (IllegalArgumentException e) {
      return new Result.Unusable(what + " key " + key + " " + e.getMessage());
    }
  }

  private String configMapValue(String namespace, String name, String key) throws NotThere {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
    if (map == null) {
      throw new NotThere(" not found in namespace " + namespace);
    }
    if (map.getData() != null && map.getData().containsKey(key)) {
      return map.getData().get(key);
    }
    if (map.getBinaryData() != null && map.getBinaryData().containsKey(key)) {
      return decode(map.getBinaryData().get(key));
    }
    throw new NotThere(" has no key " + key);
  }

  private String secretValue(String namespace, String name, String key) throws NotThere {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new NotThere(" not found in namespace " + namespace);
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    if (!data.containsKey(key)) {
      throw new NotThere(" has no key " + key);
    }
    return decode(data.get(key));
  }

  // A value that is not base64 reads as empty: the bundle then holds no certificate, said so.
  private static String decode(String base64) {
    return Objects.requireNonNullElse(SecretView.decode(base64), "");
  }

  /** The object or key is absent; the message continues the object's description. */
  private static final class NotThere extends Exception {
    NotThere(String message) {
      super(message, null, false, false);
    }
  }

  /** A bundle to trust, or why there is none. */
  sealed interface Result {
    record Found(CaBundle bundle) implements Result {
    }

    record Unusable(String reason) implements Result {
    }
  }
}
