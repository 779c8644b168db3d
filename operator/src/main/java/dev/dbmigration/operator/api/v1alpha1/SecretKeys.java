package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * Which keys of the credentials Secret hold what: letters, digits, '-', '_' and '.', neither "."
 * nor starting with "..", as Kubernetes requires of a key a Job reads.
 */
public class SecretKeys {

  public static final String DEFAULT_DATABASE = "app-db-name";
  public static final String DEFAULT_USERNAME = "app-db-username";
  public static final String DEFAULT_PASSWORD = "app-db-password";

  @Default(DEFAULT_DATABASE)
  @Size(min = 1, max = 253)
  @Pattern(Syntax.SECRET_KEY)
  @JsonPropertyDescription("Key holding the database name.")
  private String database = DEFAULT_DATABASE;

  @Default(DEFAULT_USERNAME)
  @Size(min = 1, max = 253)
  @Pattern(Syntax.SECRET_KEY)
  @JsonPropertyDescription("Key holding the user name.")
  private String username = DEFAULT_USERNAME;

  @Default(DEFAULT_PASSWORD)
  @Size(min = 1, max = 253)
  @Pattern(Syntax.SECRET_KEY)
  @JsonPropertyDescription("Key holding the password.")
  private String password = DEFAULT_PASSWORD;

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

  // The keys in force (see DatabaseMigrationSpec#engineOrDefault() on defaults).

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
