package dev.dbmigration.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One schema migration of one application's database, run in a Kubernetes Job. */
@Group(DatabaseMigration.GROUP)
@Version(DatabaseMigration.VERSION)
@Kind("DatabaseMigration")
@Plural("databasemigrations")
@ShortNames("dbm")
// The CRD generator orders printer columns by JSONPath, so the table reads AGE, ACTION, TARGET
// (.metadata, .spec) before PHASE, REVISION, LEADER (.status). The bracket spelling of the leader
// path only moves LEADER behind REVISION; a leading bracket would blank the column on the server.
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Action", jsonPath = ".spec.action", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Target", jsonPath = ".spec.target", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.revision.current", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Leader", jsonPath = ".status['leader'].pod", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Plan", jsonPath = ".status.plan.digest", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class DatabaseMigration extends CustomResource<DatabaseMigrationSpec, DatabaseMigrationStatus>
    implements Namespaced {

  public static final String GROUP = "dbmigration.dev";
  public static final String VERSION = "v1alpha1";

  /** Setting this annotation to a new value asks for one more run of the current generation. */
  public static final String RERUN_ANNOTATION = GROUP + "/rerun";

  /**
   * Approves the plan whose digest is its value (spec.plan.approval: Manual). An annotation, so
   * approving changes no generation: kubectl wait keeps waiting for the migration itself.
   */
  public static final String APPROVE_ANNOTATION = GROUP + "/approve";

  // Required in the schema: a resource without a spec is refused at apply time.
  @Required
  @Override
  public DatabaseMigrationSpec getSpec() {
    return super.getSpec();
  }

  @Override
  protected DatabaseMigrationStatus initStatus() {
    return new DatabaseMigrationStatus();
  }
}
