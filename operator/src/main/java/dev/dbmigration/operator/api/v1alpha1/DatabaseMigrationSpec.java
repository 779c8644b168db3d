package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What to migrate, with which tool and image, against which database. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.action != 'downgrade' || (has(self.allowDowngrade) && self.allowDowngrade)",
    message = "action downgrade needs allowDowngrade: true", reason = "FieldValueForbidden",
    fieldPath = ".allowDowngrade")
@ValidationRule(value = "self.action != 'upgrade' || !has(self.target) "
    + "|| !(self.target == 'base' || self.target.startsWith('-'))",
    message = "an upgrade cannot target base or a negative step (-N); use action: downgrade",
    reason = "FieldValueInvalid", fieldPath = ".target")
@ValidationRule(value = "!has(self.engine) || self.engine != 'flyway' || (self.action != 'downgrade' "
    + "&& (!has(self.target) || self.target == 'head' || self.target.matches('" + Syntax.FLYWAY_VERSION + "')))",
    message = "engine flyway supports upgrade (to head or a version such as 1.2) and history only",
    reason = "FieldValueInvalid", fieldPath = ".target")
@ValidationRule(value = "!has(self.plan) || self.action != 'history'",
    message = "a plan is made before an upgrade or a downgrade, not a history run",
    reason = "FieldValueInvalid", fieldPath = ".plan")
@ValidationRule(value = "!has(self.driftCheck) || !self.driftCheck || self.engine == 'alembic'",
    message = "driftCheck runs alembic check: engine alembic only", reason = "FieldValueInvalid",
    fieldPath = ".driftCheck")
@ValidationRule(value = "(has(self.engine) && self.engine == 'command') == has(self.command)",
    message = "engine command needs spec.command, the argument list to run; the other engines "
        + "take none", reason = "FieldValueInvalid", fieldPath = ".command")
@ValidationRule(value = "!has(self.versionTable) || (has(self.engine) && self.engine == 'command')",
    message = "versionTable is for engine command: the other engines read their own table",
    reason = "FieldValueInvalid", fieldPath = ".versionTable")
@ValidationRule(value = "!has(self.engine) || self.engine != 'command' || ((!has(self.action) "
    + "|| self.action == 'upgrade') && (!has(self.target) || self.target == 'head'))",
    message = "engine command runs spec.command as it is: action and target do not apply "
        + "(leave them out)", reason = "FieldValueInvalid", fieldPath = ".action")
@ValidationRule(value = "!has(self.engine) || self.engine != 'liquibase' || !has(self.target) "
    + "|| self.action == 'history' "
    + "|| (self.action == 'upgrade' && (self.target == 'head' || self.target.matches('"
    + Syntax.UP_COUNT + "') || " + DatabaseMigrationSpec.LIQUIBASE_TAG_RULE + ")) "
    + "|| (self.action == 'downgrade' && (self.target.matches('" + Syntax.DOWN_COUNT + "') || "
    + DatabaseMigrationSpec.LIQUIBASE_TAG_RULE + "))",
    message = "engine liquibase: upgrade to head (update), +N (update-count) or a tag "
        + "(update-to-tag); downgrade to -N (rollback-count) or a tag (rollback); or history",
    reason = "FieldValueInvalid", fieldPath = ".target")
@ValidationRule(value = "!has(self.job) || !has(self.job.env) || self.job.env.all(e, !(e.name in "
    + "(has(self.env) ? [self.env.host, self.env.port, self.env.database, self.env.username, "
    + "self.env.password] : ['" + EnvNames.DEFAULT_HOST + "', '" + EnvNames.DEFAULT_PORT + "', '"
    + EnvNames.DEFAULT_DATABASE + "', '" + EnvNames.DEFAULT_USERNAME + "', '"
    + EnvNames.DEFAULT_PASSWORD + "'])))",
    message = "spec.job.env cannot set a connection variable of spec.env: those come from the "
        + "leader and the credentials Secret", reason = "FieldValueForbidden",
    fieldPath = ".job.env")
@ValidationRule(value = "has(self.image) != has(self.imageFrom)",
    message = "set exactly one of image or imageFrom", reason = "FieldValueInvalid",
    fieldPath = ".image")
public class DatabaseMigrationSpec {

  public static final boolean DEFAULT_SUSPEND = false;
  public static final String DEFAULT_ENGINE = "alembic";
  public static final String DEFAULT_ACTION = "upgrade";
  public static final String DEFAULT_TARGET = "head";
  public static final boolean DEFAULT_ALLOW_DOWNGRADE = false;
  public static final boolean DEFAULT_DRIFT_CHECK = false;
  public static final boolean DEFAULT_DATABASE_LOCK = true;
  /** Most arguments of spec.command, and the longest one. */
  public static final int MAX_COMMAND_ARGS = 64;
  public static final int MAX_ARGUMENT = 4096;
  static final String LIQUIBASE_TAG_RULE = "(self.target.matches('" + Syntax.LIQUIBASE_TAG
      + "') && !(self.target in ['head', 'heads', 'base']))";

  @Size(min = 1, max = 512)
  @Pattern(Syntax.IMAGE)
  @JsonPropertyDescription("Image that holds the migration tool and the application's migrations, "
      + "usually the application's own image. Exactly one of image and imageFrom.")
  private String image;

  @JsonPropertyDescription("Follow the image of a Deployment's or StatefulSet's container instead "
      + "of naming one: each distinct image it runs is migrated once.")
  private ImageSource imageFrom;

  @Size(min = 1, max = 63)
  @Pattern(Syntax.RERUN)
  @JsonPropertyDescription("Set to a new value (a timestamp, a build number: letters, digits, "
      + "'-', '_', '.', ':' and '+') to run the current "
      + "spec once more. As a spec change it bumps the generation, so `kubectl wait "
      + "--for=condition=Ready` right after it waits for the new run.")
  private String rerun;

  @Default("" + DEFAULT_SUSPEND)
  @JsonPropertyDescription("Hold new runs while true; a run already started finishes.")
  private Boolean suspend = DEFAULT_SUSPEND;

  @Default(DEFAULT_ENGINE)
  @JsonPropertyDescription("Migration tool run inside the image: alembic, flyway, liquibase, or "
      + "command (spec.command, the user's own).")
  private Engine engine = Engine.of(DEFAULT_ENGINE);

  @Size(max = 1024)
  @Pattern(Syntax.WORKING_DIR)
  @JsonPropertyDescription("Absolute directory in the image to run the tool from "
      + "(the one holding alembic.ini), without control or invisible formatting characters "
      + "or shell syntax ($ ` ; | & < > ( ) \\ ' \"). Defaults to the image's own working directory.")
  private String workingDir;

  @Default(DEFAULT_ACTION)
  @JsonPropertyDescription("upgrade or downgrade the schema, or history: show the engine's "
      + "history (alembic history --verbose) in status.output without changing anything.")
  private Action action = Action.of(DEFAULT_ACTION);

  @Default(DEFAULT_TARGET)
  @Size(min = 1, max = 70)
  @Pattern(Syntax.TARGET)
  @JsonPropertyDescription("Revision to reach: head, heads, base, a revision id, +N, -N or rev+N. "
      + "A relative target is applied once per generation.")
  private String target = DEFAULT_TARGET;

  @Default("" + DEFAULT_ALLOW_DOWNGRADE)
  @JsonPropertyDescription("Must be true for action downgrade: a downgrade may drop data.")
  private Boolean allowDowngrade = DEFAULT_ALLOW_DOWNGRADE;

  @JsonPropertyDescription("Render a plan before each upgrade or downgrade: the engine's offline "
      + "SQL for exactly the revisions between the database's revision and the target (Alembic: "
      + "alembic upgrade|downgrade <revision>:<target> --sql, with the script directory's heads "
      + "checked; Flyway, which renders no SQL before it runs: flyway info's pending migrations), "
      + "kept in a ConfigMap named in status.plan, and an approval of it when asked for.")
  private PlanSettings plan;

  @Default("" + DEFAULT_DRIFT_CHECK)
  @JsonPropertyDescription("After a successful run, compare the database with the application's "
      + "models (alembic check, Alembic 1.9 or later, with target_metadata in env.py) and report "
      + "the result as the SchemaDrift condition; never a failure of the migration itself.")
  private Boolean driftCheck = DEFAULT_DRIFT_CHECK;

  @Default("" + DEFAULT_DATABASE_LOCK)
  @JsonPropertyDescription("Hold a PostgreSQL session advisory lock on the database for the "
      + "whole run (a sidecar of the operator's image takes it before the engine starts and "
      + "holds it until the engine ends), so that no other run that takes the same lock "
      + "interleaves with it: key = the first 8 bytes of sha256('dbmigration:' || database || "
      + "':' || version table), a signed bigint. Not for engine command, which has no version "
      + "table of its own.")
  private Boolean databaseLock = DEFAULT_DATABASE_LOCK;

  // An argument list, never a shell line: a user who wants a shell names it (sh -c ...).
  @Size(min = 1, max = MAX_COMMAND_ARGS)
  @ValidationRule(value = "size(self[0]) > 0", message = "the first argument names the program "
      + "to run and must not be empty")
  @JsonPropertyDescription("For engine command: the program and its arguments, run as they are "
      + "(no shell) from workingDir with the connection variables of spec.env; 1 to "
      + MAX_COMMAND_ARGS + " arguments of at most " + MAX_ARGUMENT + " characters, no NUL.")
  private List<@Size(max = MAX_ARGUMENT) @Pattern(Syntax.ARGUMENT) String> command;

  @JsonPropertyDescription("For engine command: the table the command's tooling records the "
      + "schema revision in, read into status.revision; without it there is no revision.")
  private VersionTableSpec versionTable;

  @Required
  @JsonPropertyDescription("Where the database is and how to log in to it.")
  private DatabaseSpec database;

  @JsonPropertyDescription("Names of the environment variables the tool reads; "
      + "defaults to " + EnvNames.DEFAULT_HOST + ", " + EnvNames.DEFAULT_PORT + ", "
      + EnvNames.DEFAULT_DATABASE + ", " + EnvNames.DEFAULT_USERNAME + ", "
      + EnvNames.DEFAULT_PASSWORD + ".")
  private EnvNames env = new EnvNames();

  @JsonPropertyDescription("Settings of the Kubernetes Job that runs the migration.")
  private JobSettings job = new JobSettings();

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ImageSource getImageFrom() {
    return imageFrom;
  }

  public void setImageFrom(ImageSource imageFrom) {
    this.imageFrom = imageFrom;
  }

  public String getRerun() {
    return rerun;
  }

  public void setRerun(String rerun) {
    this.rerun = rerun;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public Engine getEngine() {
    return engine;
  }

  public void setEngine(Engine engine) {
    this.engine = engine;
  }

  public String getWorkingDir() {
    return workingDir;
  }

  public void setWorkingDir(String workingDir) {
    this.workingDir = workingDir;
  }

  public Action getAction() {
    return action;
  }

  public void setAction(Action action) {
    this.action = action;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public Boolean getAllowDowngrade() {
    return allowDowngrade;
  }

  public void setAllowDowngrade(Boolean allowDowngrade) {
    this.allowDowngrade = allowDowngrade;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public VersionTableSpec getVersionTable() {
    return versionTable;
  }

  public void setVersionTable(VersionTableSpec versionTable) {
    this.versionTable = versionTable;
  }

  public DatabaseSpec getDatabase() {
    return database;
  }

  public void setDatabase(DatabaseSpec database) {
    this.database = database;
  }

  public PlanSettings getPlan() {
    return plan;
  }

  public void setPlan(PlanSettings plan) {
    this.plan = plan;
  }

  public Boolean getDriftCheck() {
    return driftCheck;
  }

  public void setDriftCheck(Boolean driftCheck) {
    this.driftCheck = driftCheck;
  }

  public Boolean getDatabaseLock() {
    return databaseLock;
  }

  public void setDatabaseLock(Boolean databaseLock) {
    this.databaseLock = databaseLock;
  }

  public EnvNames getEnv() {
    return env;
  }

  public void setEnv(EnvNames env) {
    this.env = env;
  }

  public JobSettings getJob() {
    return job;
  }

  public void setJob(JobSettings job) {
    this.job = job;
  }

  // The values in force. The API server fills in every default before the operator reads a
  // resource; these stand in for them where a spec is built in code (tests, local mode).

  public Engine engineOrDefault() {
    return engine != null ? engine : Engine.of(DEFAULT_ENGINE);
  }

  public Action actionOrDefault() {
    return action != null ? action : Action.of(DEFAULT_ACTION);
  }

  public String targetOrDefault() {
    return target != null ? target : DEFAULT_TARGET;
  }

  public boolean suspendOrDefault() {
    return suspend != null ? suspend : DEFAULT_SUSPEND;
  }

  public boolean allowDowngradeOrDefault() {
    return allowDowngrade != null ? allowDowngrade : DEFAULT_ALLOW_DOWNGRADE;
  }

  public boolean driftCheckOrDefault() {
    return driftCheck != null ? driftCheck : DEFAULT_DRIFT_CHECK;
  }

  public boolean databaseLockOrDefault() {
    return databaseLock != null ? databaseLock : DEFAULT_DATABASE_LOCK;
  }

  public EnvNames envOrDefault() {
    return env != null ? env : new EnvNames();
  }

  public JobSettings jobOrDefault() {
    return job != null ? job : new JobSettings();
  }
}
