package dev.dbmigration.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * A plan before each upgrade or downgrade: the engine's offline SQL for exactly the revisions
 * between the database's revision and the target, kept in a ConfigMap, and for Alembic the
 * script directory's heads checked.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanSettings {

  public static final String DEFAULT_APPROVAL = "Automatic";

  @Default(DEFAULT_APPROVAL)
  @JsonPropertyDescription("Automatic: the run follows its plan at once. Manual: the run waits "
      + "(phase AwaitingApproval) until the annotation dbmigration.dev/approve names the plan's "
      + "digest (status.plan.digest); a new plan, and a new approval, is needed when the "
      + "database's revision, the image or the target changed since.")
  private Approval approval = Approval.valueOf(DEFAULT_APPROVAL);

  public Approval getApproval() {
    return approval;
  }

  public void setApproval(Approval approval) {
    this.approval = approval;
  }

  public Approval approvalOrDefault() {
    return approval != null ? approval : Approval.valueOf(DEFAULT_APPROVAL);
  }
}
