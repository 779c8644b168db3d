package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where the CA bundle that signed the database server's certificate is: a ConfigMap's key (a CA
 * is no secret) or a Secret's, as cert-manager and Patroni operators leave it (ca.crt).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.configMapKeyRef) != has(self.secretKeyRef)",
    message = "set exactly one of configMapKeyRef or secretKeyRef")
public class CaBundleSource {

  @JsonPropertyDescription("A ConfigMap key holding the CA certificates (PEM).")
  private KeyReference configMapKeyRef;

  @JsonPropertyDescription("A Secret key holding the CA certificates (PEM).")
  private KeyReference secretKeyRef;

  public KeyReference getConfigMapKeyRef() {
    return configMapKeyRef;
  }

  public void setConfigMapKeyRef(KeyReference configMapKeyRef) {
    this.configMapKeyRef = configMapKeyRef;
  }

  public KeyReference getSecretKeyRef() {
    return secretKeyRef;
  }

  public void setSecretKeyRef(KeyReference secretKeyRef) {
    this.secretKeyRef = secretKeyRef;
  }

  public static CaBundleSource configMap(String name, String key) {
    CaBundleSource source = new CaBundleSource();
    source.setConfigMapKeyRef(new KeyReference(name, key));
    return source;
  }

  public static CaBundleSource secret(String name, String key) {
    CaBundleSource source = new CaBundleSource();
    source.setSecretKeyRef(new KeyReference(name, key));
    return source;
  }

  /** The reference set, whichever kind it is. */
  public KeyReference reference() {
    return configMapKeyRef != null ? configMapKeyRef : secretKeyRef;
  }

  /** "ConfigMap NAME key KEY" or "Secret NAME key KEY", for messages. */
  public String describe() {
    KeyReference ref = reference();
    return (configMapKeyRef != null ? "ConfigMap " : "Secret ") + ref.getName() + " key "
        + ref.keyOrDefault();
  }
}
