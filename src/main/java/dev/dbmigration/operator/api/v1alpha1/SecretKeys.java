package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Which keys of the credentials Secret hold what. */
public class SecretKeys {

  static final String KEY_PATTERN = "^[-._a-zA-Z0-9]+$";

  @Default("app-db-name")
  @Size(min = 1, max = 253)
  @Pattern(KEY_PATTERN)
  @JsonPropertyDescription("Key holding the database name.")
  private String database = "app-db-name";

  @Default("app-db-username")
  @Size(min = 1, max = 253)
  @Pattern(KEY_PATTERN)
  @JsonPropertyDescription("Key holding the user name.")
  private String username = "app-db-username";

  @Default("app-db-password")
  @Size(min = 1, max = 253)
  @Pattern(KEY_PATTERN)
  @JsonPropertyDescription("Key holding the password.")
  private String password = "app-db-password";

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
