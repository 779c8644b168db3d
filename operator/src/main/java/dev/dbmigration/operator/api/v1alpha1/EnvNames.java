package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Names of the environment variables through which the tool learns where and how to connect. */
// A second use of a name would silently overwrite the first variable in the container. All five
// are always there: each has a default, and an explicit null is pruned before defaulting.
@ValidationRule(value = "self.host != self.port && self.host != self.database "
    + "&& self.host != self.username && self.host != self.password "
    + "&& self.port != self.database && self.port != self.username && self.port != self.password "
    + "&& self.database != self.username && self.database != self.password "
    + "&& self.username != self.password",
    message = "the five variable names (host, port, database, username, password) must be distinct")
public class EnvNames {

  public static final String DEFAULT_HOST = "POSTGRES_HOST";
  public static final String DEFAULT_PORT = "POSTGRES_PORT";
  public static final String DEFAULT_DATABASE = "POSTGRES_DATABASE";
  public static final String DEFAULT_USERNAME = "POSTGRES_USER";
  public static final String DEFAULT_PASSWORD = "POSTGRES_PASSWORD";

  @Default(DEFAULT_HOST)
  @Size(min = 1, max = 128)
  @Pattern(Syntax.ENV_NAME)
  @JsonPropertyDescription("Variable holding the leader's host.")
  private String host = DEFAULT_HOST;

  @Default(DEFAULT_PORT)
  @Size(min = 1, max = 128)
  @Pattern(Syntax.ENV_NAME)
  @JsonPropertyDescription("Variable holding the port.")
  private String port = DEFAULT_PORT;

  @Default(DEFAULT_DATABASE)
  @Size(min = 1, max = 128)
  @Pattern(Syntax.ENV_NAME)
  @JsonPropertyDescription("Variable holding the database name.")
  private String database = DEFAULT_DATABASE;

  @Default(DEFAULT_USERNAME)
  @Size(min = 1, max = 128)
  @Pattern(Syntax.ENV_NAME)
  @JsonPropertyDescription("Variable holding the user name.")
  private String username = DEFAULT_USERNAME;

  @Default(DEFAULT_PASSWORD)
  @Size(min = 1, max = 128)
  @Pattern(Syntax.ENV_NAME)
  @JsonPropertyDescription("Variable holding the password (set from the Secret by reference).")
  private String password = DEFAULT_PASSWORD;

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

  // The names in force (see DatabaseMigrationSpec#engineOrDefault() on defaults).

  public String hostOrDefault() {
    return host != null ? host : DEFAULT_HOST;
  }

  public String portOrDefault() {
    return port != null ? port : DEFAULT_PORT;
  }

  public String databaseOrDefault() {
    return database != null ? database : DEFAULT_DATABASE;
  }

  public String usernameOrDefault() {
    return username != null ? username : DEFAULT_USERNAME;
  }

  public String passwordOrDefault() {
    return password != null ? password : DEFAULT_PASSWORD;
  }
}
