package dev.dbmigration.operator.plan;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.Approval;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationSpec;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.PlanStatus;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.database.Redactor;
import dev.dbmigration.operator.model.job.Engines;
import dev.dbmigration.operator.model.job.JobNames;
import dev.dbmigration.operator.model.job.JobOutcome;
import dev.dbmigration.operator.model.job.JobPodOutput;
import dev.dbmigration.operator.model.job.PlanCommand;
import dev.dbmigration.operator.model.job.PlanJobBuilder;
import dev.dbmigration.operator.model.job.PlanOutput;
import dev.dbmigration.operator.model.review.PlanConfigMap;
import dev.dbmigration.operator.model.review.PlanContext;
import dev.dbmigration.operator.model.review.PlanDocument;
import dev.dbmigration.operator.model.run.RunIdentity;
import dev.dbmigration.operator.model.status.MigrationState;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plan before a run (spec.plan): render it in a Job, keep it, and let the run go only as its
 * approval says. A plan belongs to a context (the database's revision, the image, the target):
 * a different context is a different plan Job, and an approval names a plan's digest, so an
 * approval of an earlier context's plan never lets a run go.
 */
final class PlanGate {

  /** What the gate decided. */
  sealed interface Decision {
  }

  /** The run may start; its status shows {@code plan}. */
  record Go(PlanStatus plan, String note) implements Decision {
  }

  /** Not yet, or not at all: carry this out instead of starting the run. */
  record Hold(Plan plan) implements Decision {
  }

  /**
   * A state that holds the run, for the caller to report with its own run facts; {@code ends}:
   * the run has ended with it (refused).
   */
  record Wait(MigrationState state, PlanStatus plan, boolean ends) implements Decision {
  }

  /** Create the plan Job, and report {@code state} meanwhile. */
  record Render(Job job, MigrationState state, PlanStatus plan) implements Decision {
  }

  static final String RENDERED = "Rendered";
  static final String UNAVAILABLE = "Unavailable";
  static final String MULTIPLE_HEADS = "MultipleHeads";
  private static final int ERROR_LINES = 20;
  private static final int ERROR_CHARS = 2000;

  private final Observation o;
  private final DatabaseMigration dbm;
  private final RunIdentity identity;
  private final String image;

  PlanGate(Observation o, RunIdentity identity, String image) {
    this.o = o;
    this.dbm = o.resource();
    this.identity = identity;
    this.image = image;
  }

  /** Whether the spec asks for a plan of this run and its engine can make one. */
  static boolean applies(DatabaseMigrationSpec spec) {
    return spec.getPlan() != null && spec.actionOrDefault() != Action.HISTORY
        && Engines.forEngine(spec.engineOrDefault()).plan(spec, "base").isPresent();
  }

  /**
   * @param host where the run would go (a plan that reads the database reads it there)
   * @param from the database's revision as the operator read it; null when it could not
   */
  Decision decide(String host, String from) {
    DatabaseMigrationSpec spec = dbm.getSpec();
    Approval approval = spec.getPlan().approvalOrDefault();
    if (from == null) {
      PlanStatus none = status(UNAVAILABLE, null, null, null);
      none.setMessage("the operator could not read the database's revision, so no plan of a"
          + " revision range can be made");
      return approval == Approval.Automatic ? new Go(none, "without a plan: "
          + none.getMessage()) : waiting(Phase.Pending,
          Reasons.PLAN_UNAVAILABLE, none.getMessage()
          + "; a Manual approval needs one (rechecked)", none, false);
    }
    PlanContext context = new PlanContext(spec.engineOrDefault().value(),
        spec.actionOrDefault().value(), from, spec.targetOrDefault(), image,
        spec.getWorkingDir());
    String jobName = JobNames.plan(dbm, identity, context.hash());
    PlanStatus kept = kept(jobName);
    if (kept != null) {
      return decideOn(kept, approval);
    }
    PlanCommand command = Engines.forEngine(spec.engineOrDefault()).plan(spec, from).orElseThrow();
    Optional<Job> job = o.job(jobName);
    if (job.isEmpty()) {
      Job planJob = PlanJobBuilder.plan(dbm, jobName, host, image, command);
      PlanStatus rendering = status("Rendering", context, jobName, null);
      return new Render(planJob, new MigrationState(Phase.Pending, Reasons.PLANNING, "Job "
          + jobName + " renders the plan of " + spec.actionOrDefault().value() + " "
          + context.range()), rendering);
    }
    Phase ended = JobOutcome.of(job.get()).phase();
    if (!ended.isFinal()) {
      return waiting(Phase.Pending,
          Reasons.PLANNING, "Job " + jobName
              + " renders the plan of " + spec.actionOrDefault().value() + " " + context.range(),
          status("Rendering", context, jobName, null), false);
    }
    if (ended == Phase.Failed) {
      String tail = JobPodOutput.terminationMessage(o.podsOf(job.get()), jobName)
          .map(t -> Redactor.excerpt(t, o.scrub(), ERROR_LINES, ERROR_CHARS))
          .orElse("no output");
      PlanStatus failed = status(UNAVAILABLE, context, jobName, null);
      failed.setMessage("the plan Job failed: " + tail);
      return new Hold(new Plan.KeepPlan(null, failed));
    }
    if (o.planOutput() == null) {
      return new Hold(new Plan.ReadOutput(job.get()));
    }
    return new Hold(keep(context, jobName, command));
  }

  private Plan.KeepPlan keep(PlanContext context, String jobName, PlanCommand command) {
    Optional<PlanOutput> output = PlanOutput.parse(o.planOutput(), command.sql());
    if (output.isEmpty()) {
      PlanStatus unreadable = status(UNAVAILABLE, context, jobName, null);
      unreadable.setMessage("the plan Job's output could not be read whole (is it longer than"
          + " the operator reads?)");
      return new Plan.KeepPlan(null, unreadable);
    }
    PlanOutput plan = output.get();
    List<String> heads = plan.heads().isEmpty() ? null : plan.heads();
    if (plan.heads().size() > 1 && dbm.getSpec().actionOrDefault() == Action.UPGRADE
        && "head".equals(dbm.getSpec().targetOrDefault())) {
      PlanStatus refused = status(MULTIPLE_HEADS, context, jobName, heads);
      refused.setMessage("the script directory has " + plan.heads().size() + " heads ("
          + String.join(", ", plan.heads()) + "), so upgrade head is ambiguous: target heads"
          + " to apply every branch, or add a merge revision (alembic merge heads) to the image");
      return new Plan.KeepPlan(null, refused);
    }
    if (plan.error() != null) {
      PlanStatus unavailable = status(UNAVAILABLE, context, jobName, heads);
      unavailable.setMessage("the engine could not render the SQL offline (does env.py have an"
          + " offline mode? Its pod has no credentials and no reachable host): "
          + Redactor.excerpt(plan.error(), o.scrub(), ERROR_LINES, ERROR_CHARS));
      return new Plan.KeepPlan(null, unavailable);
    }
    PlanDocument document = PlanDocument.of(dbm.getMetadata().getNamespace() + "/"
        + dbm.getMetadata().getName(), identity.text(), context,
        Redactor.redact(plan.text(), o.scrub()), command.sql());
    PlanStatus rendered = status(RENDERED, context, jobName, heads);
    rendered.setDigest(document.digest());
    rendered.setConfigMap(PlanConfigMap.name(dbm));
    rendered.setTruncated(document.truncated() ? Boolean.TRUE : null);
    return new Plan.KeepPlan(PlanConfigMap.of(dbm, context, document), rendered);
  }

  private Decision decideOn(PlanStatus plan, Approval approval) {
    String range = plan.getAction() + " " + plan.getRange();
    switch (plan.getState()) {
      case MULTIPLE_HEADS -> {
        return waiting(Phase.Failed,
            Reasons.MULTIPLE_HEADS,
            "refused before touching the database: " + plan.getMessage(), plan, true);
      }
      case UNAVAILABLE -> {
        if (approval == Approval.Automatic) {
          return new Go(plan, "without a plan (" + plan.getMessage() + ")");
        }
        return waiting(Phase.Failed,
            Reasons.PLAN_UNAVAILABLE, "no plan of " + range
                + " to approve: " + plan.getMessage() + "; only spec.plan.approval: Automatic"
                + " runs without one", plan, true);
      }
      default -> {
        String approved = annotation();
        if (approval == Approval.Automatic || plan.getDigest().equals(approved)) {
          return new Go(plan, "plan " + plan.getDigest() + " ("
              + (approval == Approval.Automatic ? "automatic" : "approved") + ")");
        }
        String stale = approved == null ? ""
            : "; the approval names " + approved + ", which is not this plan (void: the"
                + " database's revision, the image or the target changed since, or a typo)";
        return waiting(Phase.AwaitingApproval,
            Reasons.AWAITING_APPROVAL, "plan of " + range
                + " (ConfigMap " + plan.getConfigMap() + ") awaits approval: kubectl annotate"
                + " dbm/" + dbm.getMetadata().getName() + " "
                + DatabaseMigration.APPROVE_ANNOTATION
                + "=" + plan.getDigest() + " --overwrite" + stale, plan, false);
      }
    }
  }

  /** The plan kept for {@code jobName}'s context: in this pass, or by the run's status. */
  private PlanStatus kept(String jobName) {
    if (o.keptPlan() != null && jobName.equals(o.keptPlan().getJobName())) {
      return o.keptPlan();
    }
    DatabaseMigrationStatus previous = dbm.getStatus();
    if (previous != null && previous.getPlan() != null
        && identity.text().equals(previous.getRunIdentity())
        && jobName.equals(previous.getPlan().getJobName())
        && !"Rendering".equals(previous.getPlan().getState())) {
      return previous.getPlan();
    }
    return null;
  }

  private String annotation() {
    Map<String, String> annotations = dbm.getMetadata().getAnnotations();
    String value = annotations == null ? null
        : annotations.get(DatabaseMigration.APPROVE_ANNOTATION);
    return value == null ? null : value.trim();
  }

  private PlanStatus status(String state, PlanContext context, String jobName,
      List<String> heads) {
    PlanStatus plan = new PlanStatus();
    plan.setState(state);
    plan.setAction(dbm.getSpec().actionOrDefault().value());
    plan.setTarget(dbm.getSpec().targetOrDefault());
    plan.setImage(image);
    if (context != null) {
      plan.setFrom(context.from());
      plan.setRange(context.range());
    }
    plan.setJobName(jobName);
    plan.setHeads(heads);
    return plan;
  }

  private static Wait waiting(Phase phase, String reason,
      String message, PlanStatus plan, boolean ends) {
    return new Wait(new MigrationState(phase, reason,
        message), plan, ends);
  }

}
