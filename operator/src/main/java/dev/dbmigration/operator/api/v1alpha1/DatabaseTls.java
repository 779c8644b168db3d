package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * TLS to the database, for the operator's own check and for the migration's pod alike. Without
 * it neither asks for anything: libpq's and pgjdbc's default (prefer) stands.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(self.mode in ['verify-ca', 'verify-full']) || has(self.ca)",
    message = "verify-ca and verify-full need tls.ca, the CA bundle that signed the server's "
        + "certificate", reason = "FieldValueRequired", fieldPath = ".ca")
@ValidationRule(value = "!has(self.ca) || self.mode in ['verify-ca', 'verify-full']",
    message = "tls.ca is used by verify-ca and verify-full only: the other modes check no "
        + "certificate", reason = "FieldValueInvalid", fieldPath = ".ca")
public class DatabaseTls {

  public static final String DEFAULT_MODE = "verify-full";

  @Default(DEFAULT_MODE)
  @JsonPropertyDescription("libpq's sslmode: disable, allow, prefer, require, verify-ca or "
      + "verify-full (the server's certificate signed by tls.ca and naming the leader's address).")
  private SslMode mode = SslMode.of(DEFAULT_MODE);

  @JsonPropertyDescription("The CA bundle (PEM) that signed the server's certificate, from a "
      + "ConfigMap or a Secret of the resource's namespace; for verify-ca and verify-full.")
  private CaBundleSource ca;

  public SslMode getMode() {
    return mode;
  }

  public void setMode(SslMode mode) {
    this.mode = mode;
  }

  public CaBundleSource getCa() {
    return ca;
  }

  public void setCa(CaBundleSource ca) {
    this.ca = ca;
  }

  /** The mode in force (see {@link DatabaseMigrationSpec#engineOrDefault()} on defaults). */
  public SslMode modeOrDefault() {
    return mode != null ? mode : SslMode.of(DEFAULT_MODE);
  }
}
