package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The database to migrate: its credentials and how to find its writable leader. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.leader) != has(self.host)",
    message = "set exactly one of database.leader (discover the leader pod) or database.host")
public class DatabaseSpec {

  /** PostgreSQL's own port. */
  public static final int DEFAULT_PORT = 5432;

  @Required
  @JsonPropertyDescription("Secret in the resource's own namespace that holds the database name, "
      + "user and password.")
  private CredentialsSecret credentialsSecret;

  @JsonPropertyDescription("Find the leader pod by labels (Patroni, Spilo, Crunchy PGO, CloudNativePG).")
  private LeaderDiscovery leader;

  @Size(min = 1, max = 253)
  @Pattern(Syntax.HOST)
  @JsonPropertyDescription("Explicit host (service name or IP) instead of leader discovery.")
  private String host;

  @Default("" + DEFAULT_PORT)
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("PostgreSQL port on the leader.")
  private Integer port = DEFAULT_PORT;

  @JsonPropertyDescription("TLS to the database for the operator's check and the migration's "
      + "pod: sslmode and the CA bundle. Without it the drivers' default (prefer) stands.")
  private DatabaseTls tls;

  public DatabaseTls getTls() {
    return tls;
  }

  public void setTls(DatabaseTls tls) {
    this.tls = tls;
  }

  public CredentialsSecret getCredentialsSecret() {
    return credentialsSecret;
  }

  public void setCredentialsSecret(CredentialsSecret credentialsSecret) {
    this.credentialsSecret = credentialsSecret;
  }

  public LeaderDiscovery getLeader() {
    return leader;
  }

  public void setLeader(LeaderDiscovery leader) {
    this.leader = leader;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  /** The port in force (see {@link DatabaseMigrationSpec#engineOrDefault()} on defaults). */
  public int portOrDefault() {
    return port != null ? port : DEFAULT_PORT;
  }
}
