package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * libpq's sslmode, which pgjdbc reads alike: from no TLS (disable) to a certificate checked
 * against the CA and naming the host connected to (verify-full).
 */
public enum SslMode {
  @JsonProperty("disable")
  DISABLE,
  @JsonProperty("allow")
  ALLOW,
  @JsonProperty("prefer")
  PREFER,
  @JsonProperty("require")
  REQUIRE,
  @JsonProperty("verify-ca")
  VERIFY_CA,
  @JsonProperty("verify-full")
  VERIFY_FULL;

  /** As libpq and pgjdbc spell it. */
  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** True when the server's certificate is checked against a CA: tls.ca is needed. */
  public boolean verifiesCertificate() {
    return this == VERIFY_CA || this == VERIFY_FULL;
  }

  /** The constant the resource spells {@code value}. */
  public static SslMode of(String value) {
    for (SslMode candidate : values()) {
      if (candidate.value().equals(value)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException("no SslMode " + value);
  }
}
