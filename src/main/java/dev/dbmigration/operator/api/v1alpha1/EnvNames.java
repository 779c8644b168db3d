package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Names of the environment variables through which the tool learns where and how to connect. */
public class EnvNames {

  public static final String NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";

  @Default("POSTGRES_HOST")
  @Size(min = 1, max = 128)
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Variable holding the leader's host.")
  private String host = "POSTGRES_HOST";

  @Default("POSTGRES_PORT")
  @Size(min = 1, max = 128)
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Variable holding the port.")
  private String port = "POSTGRES_PORT";

  @Default("POSTGRES_DATABASE")
  @Size(min = 1, max = 128)
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Variable holding the database name.")
  private String database = "POSTGRES_DATABASE";

  @Default("POSTGRES_USER")
  @Size(min = 1, max = 128)
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Variable holding the user name.")
  private String username = "POSTGRES_USER";

  @Default("POSTGRES_PASSWORD")
  @Size(min = 1, max = 128)
  @Pattern(NAME_PATTERN)
  @JsonPropertyDescription("Variable holding the password (set from the Secret by reference).")
  private String password = "POSTGRES_PASSWORD";

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public String getPort() {
    return port;
  }

  public void setPort(String port) {
    this.port = port;
  }

  public String getDatabase() {
    return database;
  }

  public void setDatabase(String database) {
    this.database = database;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }
}
