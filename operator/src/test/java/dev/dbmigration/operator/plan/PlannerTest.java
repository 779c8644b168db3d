package dev.dbmigration.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.Approval;
import dev.dbmigration.operator.api.v1alpha1.AttemptStatus;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Engine;
import dev.dbmigration.operator.api.v1alpha1.EnvNames;
import dev.dbmigration.operator.api.v1alpha1.ImageSource;
import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.PlanSettings;
import dev.dbmigration.operator.api.v1alpha1.PlanStatus;
import dev.dbmigration.operator.api.v1alpha1.Reasons;
import dev.dbmigration.operator.api.v1alpha1.WorkloadKind;
import dev.dbmigration.operator.database.Probe;
import dev.dbmigration.operator.database.Revision;
import dev.dbmigration.operator.model.job.JobNames;
import dev.dbmigration.operator.model.job.JobPodOutput;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.model.job.PlanJobBuilder;
import dev.dbmigration.operator.model.review.PlanContext;
import dev.dbmigration.operator.model.run.RunIdentity;
import dev.dbmigration.operator.model.validation.SecretView;
import dev.dbmigration.operator.runtime.DatabaseCheckMode;
import dev.dbmigration.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every branch of the planner, one row each: an observation as the caches would hold it, and the
 * plan and status it must give. The ITs and the real-cluster tier prove the wiring; this proves
 * the decisions.
 */
class PlannerTest {

  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final String NS = "wps-pr-1";
  static final Map<String, String> DB = Map.of("cluster-name", "patroni-app");
  static final Probe WRITABLE = new Probe.Reachable(false, Revision.of("1a2b3c4d5e6f"));
  static final Probe HEAD = new Probe.Reachable(false, Revision.of("8192a3b4c5d6"));
  static final Planner PLANNER = new Planner(PlannerSettings.of(DatabaseCheckMode.REQUIRED,
      Duration.ofSeconds(10)));
  static final Planner BEST_EFFORT = new Planner(PlannerSettings.of(
      DatabaseCheckMode.BEST_EFFORT, Duration.ofSeconds(10)));

  @ParameterizedTest(name = "{0}")
  @MethodSource({"table", "safety"})
  void plans(Planner planner, Observation observation, Expect expect) {
    Plan plan = planner.plan(observation);
    assertThat(plan).as("plan").isInstanceOf(expect.plan());
    if (expect.phase() != null) {
      Outcome outcome = outcomeOf(plan);
      assertThat(outcome.state().phase()).as(outcome.state().message()).isEqualTo(expect.phase());
      assertThat(outcome.state().reason()).as(outcome.state().message())
          .isEqualTo(expect.reason());
    }
    expect.more().accept(plan);
  }

  /** The rows of the liquibase and command engines and of TLS (issue 16). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("engineTable")
  void plansForEngines(Planner planner, Observation observation, Expect expect) {
    plans(planner, observation, expect);
  }

  static Stream<Arguments> engineTable() {
    List<Arguments> rows = new ArrayList<>();

    DatabaseMigration command = migration();
    command.getSpec().setEngine(Engine.COMMAND);
    command.getSpec().setCommand(List.of("/app/bin/migrate", "--apply"));
    rows.add(row("engine command, writable leader that records no revision: the Job runs the"
            + " argument list, no revision in status",
        observe(command).probe(new Probe.Reachable(false, null)), start(p -> {
          Plan.Start start = (Plan.Start) p;
          assertThat(start.job().getSpec().getTemplate().getSpec().getContainers().get(0)
              .getCommand()).containsExactly("/app/bin/migrate", "--apply");
          assertThat(start.outcome().run().revision()).isNull();
          assertThat(start.outcome().check().message()).isEqualTo("writable");
        })));
    rows.add(row("engine command completed: read what it printed",
        observe(command).jobs(job(command, "Complete")).probe(new Probe.Reachable(false, null)),
        expect(Plan.ReadOutput.class, p -> { })));
    rows.add(row("engine command completed and read: Succeeded, its output's tail in status,"
            + " masked, no revision",
        observe(command).jobs(job(command, "Complete"))
            .probe(new Probe.Reachable(false, null), "s3cret!pw")
            .output("applied 3 changes\nconnected with s3cret!pw\n"),
        report(Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED, p -> {
          assertThat(outcomeOf(p).run().output()).contains("applied 3 changes")
              .doesNotContain("s3cret!pw");
          assertThat(outcomeOf(p).run().revision()).isNull();
          assertThat(outcomeOf(p).finished().getTo()).isNull();
        })));
    rows.add(row("engine command failed: Failed with the tail of its output",
        observe(command).jobs(job(command, "Failed")).probe(new Probe.Reachable(false, null))
            .pods(leader("patroni-app-0", "198.18.0.10"),
                failedPod(command, "migrate: table users already exists")),
        report(Phase.Failed, Reasons.MIGRATION_FAILED, p ->
            assertThat(message(p)).contains("table users already exists"))));

    DatabaseMigration versioned = copy(command);
    rows.add(row("engine command with a version table: the revision it holds in status",
        observe(versioned).jobs(job(versioned, "Complete")).probe(new Probe.Reachable(false,
            Revision.of("42"))).output("ok"),
        report(Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED, p -> {
          assertThat(outcomeOf(p).run().revision().getCurrent()).isEqualTo("42");
          assertThat(message(p)).endsWith("; revision 42");
        })));

    DatabaseMigration liquibase = migration();
    liquibase.getSpec().setEngine(Engine.LIQUIBASE);
    liquibase.getSpec().setAction(Action.DOWNGRADE);
    liquibase.getSpec().setAllowDowngrade(true);
    liquibase.getSpec().setTarget("-1");
    rows.add(row("engine liquibase rollback-count 1: the Job, the changeset before it in status",
        observe(liquibase).probe(new Probe.Reachable(false, Revision.of("3-add-index::dbm"))),
        start(p -> {
          Plan.Start start = (Plan.Start) p;
          assertThat(start.job().getSpec().getTemplate().getSpec().getContainers().get(0)
              .getCommand()).containsExactly("liquibase", "rollback-count", "--count=1");
          assertThat(start.outcome().run().revision().getBefore()).isEqualTo("3-add-index::dbm");
        })));
    rows.add(row("engine liquibase finished: the revision read from DATABASECHANGELOG after it",
        observe(liquibase).jobs(job(liquibase, "Complete"))
            .probe(new Probe.Reachable(false, Revision.of("2-add-email::dbm"))),
        report(Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED, p -> assertThat(outcomeOf(p).run()
            .revision().getCurrent()).isEqualTo("2-add-email::dbm"))));

    rows.add(row("TLS refused by the server (wrong CA): waiting, naming the TLS failure, no Job",
        observe(migration()).probe(new Probe.Unreachable("TLS to 198.18.0.10:5432 failed: the"
            + " server's certificate is not signed by a CA of spec.database.tls.ca")),
        report(Phase.WaitingForDatabase, Reasons.DATABASE_UNREACHABLE, p -> {
          assertThat(message(p)).contains("spec.database.tls.ca", "no Job until it can");
          assertThat(outcomeOf(p).check().message()).contains("TLS to 198.18.0.10:5432 failed");
        })));
    rows.add(rowWith(BEST_EFFORT, "TLS refused under best-effort: the Job would meet the same"
            + " refusal, so still no Job",
        observe(migration()).probe(new Probe.Unreachable("spec.database.tls.ca: ConfigMap"
            + " patroni-ca not found in namespace wps-pr-1", true)),
        report(Phase.WaitingForDatabase, Reasons.DATABASE_UNREACHABLE, p -> {
          assertThat(message(p)).contains("ConfigMap patroni-ca not found")
              .doesNotContain("best-effort");
          assertThat(outcomeOf(p).check().message()).doesNotContain("regardless");
        })));
    return rows.stream();
  }

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();

    DatabaseMigration noSpec = migration();
    noSpec.setSpec(null);
    rows.add(row("a resource stored without a spec (before the CRD required one) is invalid, "
        + "no Job", observe(noSpec), report(Phase.Invalid, Reasons.INVALID_SPEC,
            p -> assertThat(message(p)).isEqualTo("spec: is required"))));

    DatabaseMigration following = migration();
    following.getSpec().setImage(null);
    following.getSpec().setImageFrom(imageFrom());
    rows.add(row("a followed workload that does not exist yet: waiting for it",
        observe(following), report(Phase.Pending, Reasons.IMAGE_SOURCE_NOT_FOUND)));

    DatabaseMigration followedDone = copy(following);
    followedDone.setStatus(finished(followedDone, "app:v1", Phase.Succeeded));
    rows.add(row("a followed workload gone after its run: the outcome stands",
        observe(followedDone), report(Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED)));

    DatabaseMigration suspended = migration();
    suspended.getSpec().setSuspend(true);
    rows.add(row("suspended before its run: no Job", observe(suspended),
        report(Phase.Pending, Reasons.SUSPENDED)));

    rows.add(row("no Secret yet", observe(migration()).secret(null),
        report(Phase.Pending, Reasons.SECRET_NOT_FOUND)));

    rows.add(row("a Secret without the password key", observe(migration())
        .secret(new SecretView("app-creds", Set.of("app-db-name", "app-db-username"), Set.of(),
            "app")), report(Phase.Pending, Reasons.SECRET_KEY_MISSING, p ->
            assertThat(message(p)).contains("app-db-password"))));

    rows.add(row("no leader pod: waiting, naming what was seen", observe(migration())
        .pods(replica("patroni-app-0")), report(Phase.WaitingForDatabase,
        Reasons.LEADER_NOT_FOUND, p -> assertThat(message(p)).contains("patroni-app-0"))));

    rows.add(row("two leaders: no guess", observe(migration())
        .pods(leader("patroni-app-0", "198.18.0.10"), leader("patroni-app-1", "198.18.0.11")),
        report(Phase.WaitingForDatabase, Reasons.MULTIPLE_LEADERS)));

    rows.add(row("one leader, not yet checked: check it", observe(migration()),
        expect(Plan.CheckDatabase.class, p -> assertThat(((Plan.CheckDatabase) p).leader())
            .usingRecursiveComparison().isEqualTo(new LeaderStatus("patroni-app-0", "198.18.0.10")))));

    DatabaseMigration explicit = migration();
    explicit.getSpec().getDatabase().setLeader(null);
    explicit.getSpec().getDatabase().setHost("db.example");
    rows.add(row("an explicit host is checked as it is", observe(explicit),
        expect(Plan.CheckDatabase.class, p -> assertThat(((Plan.CheckDatabase) p).leader())
            .usingRecursiveComparison().isEqualTo(new LeaderStatus(null, "db.example")))));

    rows.add(row("the leader is a replica in recovery: waiting, rechecked", observe(migration())
        .probe(new Probe.Reachable(true, Revision.base())),
        report(Phase.WaitingForDatabase, Reasons.LEADER_IN_RECOVERY, p ->
            assertThat(outcomeOf(p).recheck()).isEqualTo(Duration.ofSeconds(10)))));

    rows.add(row("the operator cannot log in: no Job under DATABASE_CHECK=required",
        observe(migration()).probe(new Probe.Unreachable("connection refused")),
        report(Phase.WaitingForDatabase, Reasons.DATABASE_UNREACHABLE, p -> {
          assertThat(outcomeOf(p).check().ready()).isFalse();
          assertThat(outcomeOf(p).recheck()).isEqualTo(Duration.ofSeconds(10));
        })));

    DatabaseMigration unreachableSince = migration();
    unreachableSince.setStatus(new DatabaseMigrationStatus());
    unreachableSince.getStatus().setConditions(List.of(new ConditionBuilder()
        .withType("DatabaseReachable").withStatus("False").withReason("DatabaseUnreachable")
        .withLastTransitionTime(NOW.minusSeconds(45).toString()).build()));
    rows.add(row("a database down for 45 s is checked again in 45 s (from status, not memory)",
        observe(unreachableSince).probe(new Probe.Unreachable("connection refused")),
        report(Phase.WaitingForDatabase, Reasons.DATABASE_UNREACHABLE, p ->
            assertThat(outcomeOf(p).recheck()).isEqualTo(Duration.ofSeconds(45)))));

    rows.add(rowWith(BEST_EFFORT, "the operator cannot log in under best-effort: the Job runs",
        observe(migration()).probe(new Probe.Unreachable("connection refused")),
        start(p -> assertThat(outcomeOf(p).check().message())
            .contains("runs in its Job regardless"))));

    rows.add(row("a writable leader: the Job, named for the run, pointed at the leader",
        observe(migration()).probe(WRITABLE), start(p -> {
          Plan.Start start = (Plan.Start) p;
          assertThat(start.job().getMetadata().getName()).matches("app-g1-[a-z2-7]{5}");
          assertThat(start.databaseKey()).isEqualTo("198.18.0.10:5432/app");
          assertThat(start.job().getSpec().getTemplate().getSpec().getContainers().get(0)
              .getCommand()).containsExactly("alembic", "upgrade", "head");
          assertThat(start.job().getMetadata().getAnnotations())
              .containsEntry(Labels.LEADER_POD_ANNOTATION, "patroni-app-0")
              .containsEntry(Labels.RUN_ANNOTATION, start.outcome().identity());
          assertThat(start.outcome().run().revision().getBefore()).isEqualTo("1a2b3c4d5e6f");
        })));

    DatabaseMigration running = migration();
    rows.add(row("its Job runs: Running", observe(running).jobs(job(running, null)),
        report(Phase.Running, Reasons.MIGRATION_RUNNING)));

    rows.add(row("its pod cannot pull its image yet: PodNotStarting, the run goes on",
        observe(running).jobs(job(running, null)).pods(leader("patroni-app-0", "198.18.0.10"),
            jobPod(running, NOW.minusSeconds(20), "ErrImagePull", "pull access denied")),
        report(Phase.Pending, Reasons.POD_NOT_STARTING, p -> assertThat(message(p))
            .contains("ErrImagePull", "pull access denied"))));

    rows.add(row("its pod waits for an image absent under pullPolicy Never: the run ends",
        observe(running).jobs(job(running, null)).pods(jobPod(running, NOW.minusSeconds(5),
            "ErrImageNeverPull", "Container image \"app:gone\" is not present")),
        expect(Plan.Stop.class, Phase.Failed, Reasons.POD_NOT_STARTING, p -> {
          assertThat(message(p)).contains("app:gone");
          assertThat(outcomeOf(p).finished().getResult()).isEqualTo("Failed");
        })));

    rows.add(row("its pod refused as root under runAsNonRoot: the run ends",
        observe(running).jobs(job(running, null)).pods(jobPod(running, NOW.minusSeconds(5),
            "CreateContainerConfigError", "container has runAsNonRoot and image will run as root")),
        expect(Plan.Stop.class, Phase.Failed, Reasons.POD_NOT_STARTING)));

    rows.add(row("its pod still pulling after the start deadline: the run ends",
        observe(running).jobs(job(running, null)).pods(jobPod(running, NOW.minusSeconds(301),
            "ImagePullBackOff", "Back-off pulling image")),
        expect(Plan.Stop.class, Phase.Failed, Reasons.POD_NOT_STARTING)));

    rows.add(row("its Job completed, revision not read: check the database",
        observe(running).jobs(job(running, "Complete")),
        expect(Plan.CheckDatabase.class, p -> assertThat(((Plan.CheckDatabase) p).leader()
            .getPod()).isEqualTo("patroni-app-0"))));

    rows.add(row("its Job completed: Succeeded, the revision read after it, in history",
        observe(running).jobs(job(running, "Complete")).probe(HEAD),
        report(Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED, p -> {
          assertThat(outcomeOf(p).run().revision().getCurrent()).isEqualTo("8192a3b4c5d6");
          assertThat(outcomeOf(p).finished().getTo()).isEqualTo("8192a3b4c5d6");
        })));

    rows.add(row("its Job failed against the same leader: Failed with the tool's last words,"
            + " the password masked",
        observe(running).jobs(job(running, "Failed")).probe(WRITABLE, "s3cret!pw")
            .pods(leader("patroni-app-0", "198.18.0.10"), failedPod(running,
                "sqlalchemy.exc.ProgrammingError: relation exists (password s3cret!pw)")),
        report(Phase.Failed, Reasons.MIGRATION_FAILED, p -> assertThat(message(p))
            .contains("relation exists").doesNotContain("s3cret!pw"))));

    rows.add(row("its Job failed after a failover: LeaderChanged, next attempt after backoff",
        observe(running).jobs(job(running, "Failed"))
            .pods(replica("patroni-app-0"), leader("patroni-app-1", "198.18.0.11")),
        report(Phase.Pending, Reasons.LEADER_CHANGED, p -> {
          assertThat(outcomeOf(p).attempts()).hasSize(1);
          assertThat(outcomeOf(p).recheck()).isEqualTo(Duration.ofSeconds(10));
          assertThat(message(p)).contains("patroni-app-0", "patroni-app-1", "attempt 2 of 4");
        })));

    DatabaseMigration lastChance = migration();
    lastChance.getSpec().getJob().setLeaderChangeRetries(0);
    rows.add(row("a failover with no retries left: Failed, naming the failovers",
        observe(lastChance).jobs(job(lastChance, "Failed"))
            .pods(leader("patroni-app-1", "198.18.0.11")),
        report(Phase.Failed, Reasons.LEADER_CHANGED)));

    DatabaseMigration backingOff = migration();
    backingOff.setStatus(retrying(backingOff, NOW.minusSeconds(4)));
    rows.add(row("after a failover, within the backoff: waiting, due time in the message",
        observe(backingOff).pods(leader("patroni-app-1", "198.18.0.11")),
        report(Phase.Pending, Reasons.LEADER_CHANGED, p -> {
          assertThat(outcomeOf(p).recheck()).isEqualTo(Duration.ofSeconds(6));
          assertThat(message(p)).contains(NOW.plusSeconds(6).toString());
        })));

    DatabaseMigration retryDue = migration();
    retryDue.setStatus(retrying(retryDue, NOW.minusSeconds(11)));
    rows.add(row("after a failover, past the backoff: attempt 2 against the new leader",
        observe(retryDue).pods(leader("patroni-app-1", "198.18.0.11")).probe(WRITABLE),
        start(p -> {
          assertThat(((Plan.Start) p).job().getMetadata().getName()).endsWith("-a2");
          assertThat(message(p)).contains("attempt 2 of 4", "patroni-app-1");
        })));

    DatabaseMigration done = migration();
    done.setStatus(finished(done, null, Phase.Succeeded));
    rows.add(row("its Job was removed after it finished (TTL): nothing runs again",
        observe(done), report(Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED)));

    DatabaseMigration resumed = copy(done);
    resumed.getMetadata().setGeneration(3L);
    rows.add(row("suspended and resumed after its run: the same run, not again",
        observe(resumed), report(Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED)));

    DatabaseMigration rerun = copy(done);
    rerun.getMetadata().setAnnotations(Map.of(DatabaseMigration.RERUN_ANNOTATION, "2"));
    rows.add(row("a rerun token after its run: a new run", observe(rerun),
        expect(Plan.CheckDatabase.class, p -> { })));

    DatabaseMigration history = migration();
    history.getSpec().setAction(Action.HISTORY);
    rows.add(row("a history run completed: read its output", observe(history)
        .jobs(job(history, "Complete")).probe(HEAD), expect(Plan.ReadOutput.class, p -> { })));
    rows.add(row("a history run completed and read: its output in status", observe(history)
        .jobs(job(history, "Complete")).probe(HEAD).output("1a2b3c4d5e6f -> 8192a3b4c5d6 (head)"),
        report(Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED, p ->
            assertThat(outcomeOf(p).run().output()).contains("8192a3b4c5d6 (head)"))));
    return rows.stream();
  }

  @org.junit.jupiter.api.Test
  void aRunWhoseDatabaseIsTakenWaitsNamingTheOtherRun() {
    Observation o = observe(migration()).probe(WRITABLE).build();
    Plan.Start start = (Plan.Start) PLANNER.plan(o);
    Job other = new JobBuilder().withNewMetadata().withNamespace(NS).withName("api-g4-abcde")
        .addNewOwnerReference().withName("api").withKind("DatabaseMigration").endOwnerReference()
        .endMetadata().build();

    Outcome outcome = outcomeOf(PLANNER.busy(o, start, other));

    assertThat(outcome.state().phase()).isEqualTo(Phase.Pending);
    assertThat(outcome.state().reason()).isEqualTo(Reasons.WAITING_FOR_OTHER_MIGRATION);
    assertThat(outcome.state().message()).contains("wps-pr-1/api", "api-g4-abcde");
    assertThat(outcome.recheck()).isEqualTo(Duration.ofSeconds(10));
    assertThat(outcome.run().jobName()).isNull();
  }

  @org.junit.jupiter.api.Test
  void aJobWhoseLockSidecarTheClusterDroppedIsStoppedBeforeItRuns() {
    Plan.Start start = (Plan.Start) LOCKING.plan(observe(migration()).probe(WRITABLE).build());
    assertThat(start.job().getSpec().getTemplate().getSpec().getInitContainers())
        .as("the lock sidecar is asked for").hasSize(1);
    assertThat(LOCKING.afterCreate(start, start.job())).as("created as asked").isEmpty();

    Job created = new JobBuilder(start.job()).editSpec().editTemplate().editSpec()
        .editFirstInitContainer().withRestartPolicy(null).endInitContainer()
        .endSpec().endTemplate().endSpec().build();
    Plan.Stop stop = LOCKING.afterCreate(start, created).orElseThrow();

    assertThat(stop.job()).isSameAs(created);
    assertThat(stop.outcome().state().phase()).isEqualTo(Phase.Failed);
    assertThat(stop.outcome().state().reason()).isEqualTo(Reasons.DATABASE_LOCK_UNSUPPORTED);
    assertThat(stop.outcome().state().message()).contains("spec.databaseLock: false");
  }

  // --- the rows' vocabulary ----------------------------------------------------------------

  record Expect(Class<? extends Plan> plan, Phase phase, String reason, Consumer<Plan> more) {
  }

  static final Planner LOCKING = new Planner(PlannerSettings.of(DatabaseCheckMode.REQUIRED,
      Duration.ofSeconds(10), "operator:1"));
  static final String RENDERED_PLAN = "INFO  [alembic.runtime.migration] Generating static SQL\n"
      + "-----BEGIN DBMIGRATION PLAN {\"heads\": [\"8192a3b4c5d6\"], \"error\": null}-----\n"
      + "BEGIN;\n-- Running upgrade 1a2b3c4d5e6f -> 2b3c4d5e6f70\nCREATE TABLE reading ();\n"
      + "COMMIT;\n\n-----END DBMIGRATION PLAN-----\n";

  /** The rows of issue 15: the plan, its approval, several heads, drift, the database lock. */
  static Stream<Arguments> safety() {
    List<Arguments> rows = new ArrayList<>();

    rows.add(rowWith(LOCKING, "the lock: the run's pod holds it in a sidecar of the operator's"
            + " image", observe(migration()).probe(WRITABLE), start(p -> {
          var pod = ((Plan.Start) p).job().getSpec().getTemplate().getSpec();
          assertThat(pod.getInitContainers()).singleElement().satisfies(c -> {
            assertThat(c.getImage()).isEqualTo("operator:1");
            assertThat(c.getRestartPolicy()).isEqualTo("Always");
            assertThat(c.getArgs()).containsExactly("lock", "--version-table=alembic_version",
                "--ready-port=8543");
          });
          assertThat(pod.getContainers().get(0).getEnv())
              .anyMatch(e -> e.getName().equals("DBMIGRATION_LOCK_HELD"));
        })));

    DatabaseMigration unlocked = migration();
    unlocked.getSpec().setDatabaseLock(false);
    rows.add(rowWith(LOCKING, "databaseLock false: no sidecar", observe(unlocked).probe(WRITABLE),
        start(p -> assertThat(((Plan.Start) p).job().getSpec().getTemplate().getSpec()
            .getInitContainers()).isEmpty())));

    DatabaseMigration manual = planned(Approval.Manual);
    rows.add(row("a plan first: its Job renders base..head offline, without credentials",
        observe(manual).probe(WRITABLE), expect(Plan.Launch.class, Phase.Pending,
            Reasons.PLANNING, p -> {
              Job job = ((Plan.Launch) p).job();
              assertThat(job.getMetadata().getName()).isEqualTo(planJobName(manual));
              assertThat(job.getMetadata().getLabels()).containsEntry(Labels.COMPONENT, "plan");
              var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
              assertThat(container.getCommand()).startsWith("python3", "-c")
                  .endsWith("upgrade", "1a2b3c4d5e6f", "head");
              assertThat(container.getEnv()).noneMatch(e -> e.getValueFrom() != null);
              assertThat(container.getEnv()).anyMatch(e -> e.getValue() != null
                  && e.getValue().endsWith(".invalid"));
              assertThat(job.getSpec().getTemplate().getSpec().getInitContainers()).isEmpty();
            })));

    rows.add(row("the plan Job runs: Planning", observe(manual).probe(WRITABLE)
        .jobs(planJob(manual, null)), report(Phase.Pending, Reasons.PLANNING)));

    rows.add(row("the plan Job ended: read its output", observe(manual).probe(WRITABLE)
        .jobs(planJob(manual, "Complete")), expect(Plan.ReadOutput.class, p -> { })));

    rows.add(row("its output: the plan kept in the resource's ConfigMap with its digest",
        observe(manual).probe(WRITABLE).jobs(planJob(manual, "Complete"))
            .planOutput(RENDERED_PLAN), expect(Plan.KeepPlan.class, p -> {
              Plan.KeepPlan keep = (Plan.KeepPlan) p;
              assertThat(keep.plan().getState()).isEqualTo("Rendered");
              assertThat(keep.plan().getRange()).isEqualTo("1a2b3c4d5e6f:head");
              assertThat(keep.configMap().getMetadata().getName()).isEqualTo("app-plan");
              String text = keep.configMap().getData().get("plan");
              assertThat(text).contains("-- Running upgrade 1a2b3c4d5e6f -> 2b3c4d5e6f70")
                  .doesNotContain("INFO");
              assertThat(keep.plan().getDigest()).isEqualTo(java.util.HexFormat.of().formatHex(
                  sha256(text)));
            })));

    rows.add(row("two heads and upgrade head: refused, no ConfigMap", observe(manual)
        .probe(WRITABLE).jobs(planJob(manual, "Complete")).planOutput(RENDERED_PLAN.replace(
            "[\"8192a3b4c5d6\"]", "[\"d00d00000002\", \"d00d00000003\"]")),
        expect(Plan.KeepPlan.class, p -> {
          assertThat(((Plan.KeepPlan) p).configMap()).isNull();
          assertThat(((Plan.KeepPlan) p).plan().getState()).isEqualTo("MultipleHeads");
        })));

    rows.add(row("a kept plan refused for heads: Failed, naming them, nothing run",
        observe(manual).probe(WRITABLE).kept(kept(manual, "MultipleHeads", null)),
        report(Phase.Failed, Reasons.MULTIPLE_HEADS, p -> {
          assertThat(message(p)).contains("d00d00000002", "merge", "heads");
          assertThat(outcomeOf(p).run().jobName()).isEqualTo(planJobName(manual));
          assertThat(outcomeOf(p).finished().getResult()).isEqualTo("Failed");
        })));

    rows.add(row("a kept plan, Manual, no approval: AwaitingApproval with the one-liner",
        observe(manual).probe(WRITABLE).kept(kept(manual, "Rendered", "d1")),
        report(Phase.AwaitingApproval, Reasons.AWAITING_APPROVAL, p -> {
          assertThat(message(p)).contains("dbmigration.dev/approve=d1");
          assertThat(outcomeOf(p).plan().getDigest()).isEqualTo("d1");
        })));

    DatabaseMigration approved = planned(Approval.Manual);
    approved.getMetadata().setAnnotations(Map.of("dbmigration.dev/approve", "d1"));
    rows.add(row("approved by its digest: the run starts", observe(approved).probe(WRITABLE)
        .kept(kept(approved, "Rendered", "d1")), start(p -> assertThat(message(p))
            .contains("plan d1 (approved)"))));

    rows.add(row("an approval of another plan is void: still AwaitingApproval, saying so",
        observe(approved).probe(WRITABLE).kept(kept(approved, "Rendered", "d2")),
        report(Phase.AwaitingApproval, Reasons.AWAITING_APPROVAL, p ->
            assertThat(message(p)).contains("names d1, which is not this plan"))));

    DatabaseMigration moved = planned(Approval.Manual);
    moved.getMetadata().setAnnotations(Map.of("dbmigration.dev/approve", "d1"));
    DatabaseMigrationStatus plannedAtOld = new DatabaseMigrationStatus();
    plannedAtOld.setRunIdentity(RunIdentity.of(moved, null, null).text());
    plannedAtOld.setPlan(kept(moved, "Rendered", "d1"));
    moved.setStatus(plannedAtOld);
    rows.add(row("the database moved since the plan: its approval is void, a new plan is made",
        observe(moved).probe(HEAD), expect(Plan.Launch.class, Phase.Pending, Reasons.PLANNING,
            p -> assertThat(((Plan.Launch) p).job().getMetadata().getName())
                .isNotEqualTo(planJobName(moved)))));

    rows.add(row("no offline mode, Manual: Failed, only Automatic runs without a plan",
        observe(manual).probe(WRITABLE).kept(kept(manual, "Unavailable", null)),
        report(Phase.Failed, Reasons.PLAN_UNAVAILABLE)));

    DatabaseMigration automatic = planned(Approval.Automatic);
    rows.add(row("no offline mode, Automatic: the run goes on, saying so",
        observe(automatic).probe(WRITABLE).kept(kept(automatic, "Unavailable", null)),
        start(p -> assertThat(message(p)).contains("without a plan"))));

    DatabaseMigration checked = migration();
    checked.getSpec().setDriftCheck(true);
    checked.setStatus(finished(checked, null, Phase.Succeeded));
    checked.getStatus().setLeader(new LeaderStatus("patroni-app-0", "198.18.0.10"));
    rows.add(row("drift check asked for: after the run, a check Job, the run stays Succeeded",
        observe(checked), expect(Plan.Launch.class, Phase.Succeeded,
            Reasons.MIGRATION_SUCCEEDED, p -> {
              Plan.Launch launch = (Plan.Launch) p;
              assertThat(launch.job().getSpec().getTemplate().getSpec().getContainers().get(0)
                  .getCommand()).containsExactly("alembic", "check");
              assertThat(launch.outcome().drift().reason()).isEqualTo(Reasons.DRIFT_CHECK_RUNNING);
            })));

    rows.add(row("the check found nothing: SchemaDrift False", observe(checked)
        .jobs(checkJob(checked, "Complete")), report(Phase.Succeeded,
            Reasons.MIGRATION_SUCCEEDED, p -> assertThat(outcomeOf(p).drift().reason())
                .isEqualTo(Reasons.NO_DRIFT))));

    rows.add(row("the check found drift: SchemaDrift True with alembic's summary",
        observe(checked).probe(HEAD).jobs(checkJob(checked, "Failed")).pods(checkPod(checked,
            "FAILED: New upgrade operations detected: [('remove_column', None, 'gauge')]")),
        report(Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED, p -> {
          assertThat(outcomeOf(p).drift().condition()).isEqualTo("True");
          assertThat(outcomeOf(p).drift().message()).contains("remove_column");
        })));

    rows.add(row("alembic 1.8 has no check: SchemaDrift Unknown, the run stays Succeeded",
        observe(checked).probe(HEAD).jobs(checkJob(checked, "Failed")).pods(checkPod(checked,
            "alembic: error: argument {branches,current}: invalid choice: 'check'")),
        report(Phase.Succeeded, Reasons.MIGRATION_SUCCEEDED, p ->
            assertThat(outcomeOf(p).drift().reason())
                .isEqualTo(Reasons.DRIFT_CHECK_UNAVAILABLE))));
    return rows.stream();
  }

  static DatabaseMigration planned(Approval approval) {
    DatabaseMigration dbm = migration();
    PlanSettings plan = new PlanSettings();
    plan.setApproval(approval);
    dbm.getSpec().setPlan(plan);
    return dbm;
  }

  static String planJobName(DatabaseMigration dbm) {
    PlanContext context = new PlanContext("alembic", "upgrade", "1a2b3c4d5e6f", "head",
        dbm.getSpec().getImage(), dbm.getSpec().getWorkingDir());
    return JobNames.plan(dbm, RunIdentity.of(dbm, null, dbm.getStatus()), context.hash());
  }

  static Job planJob(DatabaseMigration dbm, String condition) {
    return withCondition(PlanJobBuilder.plan(dbm, planJobName(dbm), "198.18.0.10",
        dbm.getSpec().getImage(), new dev.dbmigration.operator.model.job.AlembicEngine()
            .plan(dbm.getSpec(), "1a2b3c4d5e6f").orElseThrow()), condition);
  }

  static Job checkJob(DatabaseMigration dbm, String condition) {
    return withCondition(PlanJobBuilder.driftCheck(dbm, JobNames.driftCheck(dbm,
        RunIdentity.of(dbm, null, dbm.getStatus())), "198.18.0.10", dbm.getSpec().getImage(),
        List.of("alembic", "check")), condition);
  }

  static Pod checkPod(DatabaseMigration dbm, String output) {
    return new PodBuilder().withNewMetadata().withNamespace(NS).withName("check-pod")
        .withCreationTimestamp(NOW.minusSeconds(20).toString())
        .addToLabels(JobPodOutput.JOB_NAME_LABEL, checkJob(dbm, null).getMetadata().getName())
        .endMetadata().withNewStatus().withPhase("Failed").addNewContainerStatus()
        .withName("check").withNewState().withNewTerminated().withExitCode(1)
        .withMessage(output).endTerminated().endState().endContainerStatus().endStatus().build();
  }

  static Job withCondition(Job job, String condition) {
    if (condition != null) {
      job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
          .addNewCondition().withType(condition).withStatus("True")
          .withLastTransitionTime(NOW.minusSeconds(1).toString()).endCondition().build());
    }
    return job;
  }

  static PlanStatus kept(DatabaseMigration dbm, String state, String digest) {
    PlanStatus plan = new PlanStatus();
    plan.setState(state);
    plan.setDigest(digest);
    plan.setAction("upgrade");
    plan.setTarget("head");
    plan.setFrom("1a2b3c4d5e6f");
    plan.setRange("1a2b3c4d5e6f:head");
    plan.setConfigMap("app-plan");
    plan.setJobName(planJobName(dbm));
    plan.setMessage(state.equals("MultipleHeads") ? "the script directory has 2 heads"
        + " (d00d00000002, d00d00000003), so upgrade head is ambiguous: target heads to apply"
        + " every branch, or add a merge revision" : state.equals("Unavailable")
        ? "the engine could not render the SQL offline" : null);
    return plan;
  }

  static byte[] sha256(String text) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Arguments row(String name, ObservationBuilder o, Expect expect) {
    return rowWith(PLANNER, name, o, expect);
  }

  static Arguments rowWith(Planner planner, String name, ObservationBuilder o, Expect expect) {
    return Arguments.of(Named.of(name, planner), o.build(), expect);
  }

  static Expect report(Phase phase, String reason) {
    return report(phase, reason, p -> { });
  }

  static Expect report(Phase phase, String reason, Consumer<Plan> more) {
    return new Expect(Plan.Report.class, phase, reason, more);
  }

  static Expect start(Consumer<Plan> more) {
    return new Expect(Plan.Start.class, Phase.Running, Reasons.MIGRATION_RUNNING, more);
  }

  static Expect expect(Class<? extends Plan> plan, Consumer<Plan> more) {
    return new Expect(plan, null, null, more);
  }

  static Expect expect(Class<? extends Plan> plan, Phase phase, String reason) {
    return new Expect(plan, phase, reason, p -> { });
  }

  static Expect expect(Class<? extends Plan> plan, Phase phase, String reason,
      Consumer<Plan> more) {
    return new Expect(plan, phase, reason, more);
  }

  static Outcome outcomeOf(Plan plan) {
    if (plan instanceof Plan.Report report) {
      return report.outcome();
    }
    if (plan instanceof Plan.Start start) {
      return start.outcome();
    }
    if (plan instanceof Plan.Launch launch) {
      return launch.outcome();
    }
    return ((Plan.Stop) plan).outcome();
  }

  static String message(Plan plan) {
    return outcomeOf(plan).state().message();
  }

  static DatabaseMigration migration() {
    DatabaseMigration dbm = Fixtures.migration(NS, "app");
    dbm.getMetadata().setUid("uid-app");
    dbm.getMetadata().setGeneration(1L);
    dbm.getSpec().setEnv(new EnvNames());
    return dbm;
  }

  static DatabaseMigration copy(DatabaseMigration dbm) {
    return io.fabric8.kubernetes.client.utils.Serialization.clone(dbm);
  }

  static ImageSource imageFrom() {
    ImageSource source = new ImageSource();
    source.setKind(WorkloadKind.Deployment);
    source.setName("app");
    source.setContainer("api");
    return source;
  }

  /** A status that reported this resource's current run as ended. */
  static DatabaseMigrationStatus finished(DatabaseMigration dbm, String followed, Phase phase) {
    RunIdentity run = RunIdentity.of(dbm, followed, null);
    DatabaseMigrationStatus status = new DatabaseMigrationStatus();
    status.setObservedGeneration(dbm.getMetadata().getGeneration());
    status.setPhase(phase);
    status.setRunIdentity(run.text());
    status.setJobName(JobNames.of(dbm, run, 1));
    status.setMessage("Job done");
    status.setConditions(List.of(new ConditionBuilder().withType("Ready")
        .withStatus(phase == Phase.Succeeded ? "True" : "False")
        .withReason(phase == Phase.Succeeded ? Reasons.MIGRATION_SUCCEEDED
            : Reasons.MIGRATION_FAILED).build()));
    return status;
  }

  /** A status after attempt 1 failed at {@code at} because the leader moved. */
  static DatabaseMigrationStatus retrying(DatabaseMigration dbm, Instant at) {
    RunIdentity run = RunIdentity.of(dbm, null, null);
    DatabaseMigrationStatus status = new DatabaseMigrationStatus();
    status.setPhase(Phase.Pending);
    status.setRunIdentity(run.text());
    status.setAttempts(List.of(new AttemptStatus(JobNames.of(dbm, run, 1),
        new LeaderStatus("patroni-app-0", "198.18.0.10"), Reasons.LEADER_CHANGED,
        "Job failed after the leader changed", at.toString())));
    return status;
  }

  /** The first Job of the resource's current run; {@code condition} Complete, Failed or null. */
  static Job job(DatabaseMigration dbm, String condition) {
    RunIdentity run = RunIdentity.of(dbm, null, dbm.getStatus());
    JobBuilder job = new JobBuilder(dev.dbmigration.operator.model.job.MigrationJobBuilder
        .build(dbm, JobNames.of(dbm, run, 1), "198.18.0.10"))
        .editMetadata().withCreationTimestamp(NOW.minusSeconds(30).toString())
        .addToAnnotations(Labels.LEADER_POD_ANNOTATION, "patroni-app-0")
        .addToAnnotations(Labels.LEADER_HOST_ANNOTATION, "198.18.0.10").endMetadata();
    if (condition != null) {
      job.withNewStatus().addNewCondition().withType(condition).withStatus("True")
          .withLastTransitionTime(NOW.minusSeconds(1).toString()).endCondition()
          .withCompletionTime(condition.equals("Complete") ? NOW.minusSeconds(1).toString() : null)
          .endStatus();
    }
    return job.build();
  }

  static Pod leader(String name, String ip) {
    return databasePod(name, "master", ip);
  }

  static Pod replica(String name) {
    return databasePod(name, "replica", "198.18.0.99");
  }

  static Pod databasePod(String name, String role, String ip) {
    return new PodBuilder().withNewMetadata().withNamespace(NS).withName(name)
        .addToLabels("cluster-name", "patroni-app").addToLabels("role", role).endMetadata()
        .withNewStatus().withPhase("Running").withPodIP(ip).addNewCondition().withType("Ready")
        .withStatus("True").endCondition().endStatus().build();
  }

  static Pod jobPod(DatabaseMigration dbm, Instant created, String reason, String message) {
    return new PodBuilder().withNewMetadata().withNamespace(NS).withName("app-pod")
        .withCreationTimestamp(created.toString())
        .addToLabels(JobPodOutput.JOB_NAME_LABEL, job(dbm, null).getMetadata().getName())
        .endMetadata().withNewStatus().withPhase("Pending").addNewContainerStatus()
        .withName("migrate").withNewState().withNewWaiting().withReason(reason)
        .withMessage(message).endWaiting().endState().endContainerStatus().endStatus().build();
  }

  static Pod failedPod(DatabaseMigration dbm, String output) {
    return new PodBuilder().withNewMetadata().withNamespace(NS).withName("app-pod")
        .withCreationTimestamp(NOW.minusSeconds(20).toString())
        .addToLabels(JobPodOutput.JOB_NAME_LABEL, job(dbm, null).getMetadata().getName())
        .endMetadata().withNewStatus().withPhase("Failed").addNewContainerStatus()
        .withName("migrate").withNewState().withNewTerminated().withExitCode(1)
        .withMessage(output).endTerminated().endState().endContainerStatus().endStatus().build();
  }

  static ObservationBuilder observe(DatabaseMigration dbm) {
    return new ObservationBuilder(dbm);
  }

  /** An observation with the usual environment: the Secret, one leader, no Job yet. */
  static final class ObservationBuilder {
    private final DatabaseMigration dbm;
    private PodTemplateSpec template;
    private List<Job> jobs = List.of();
    private List<Pod> pods = List.of(leader("patroni-app-0", "198.18.0.10"));
    private SecretView secret = new SecretView("app-creds",
        Set.of("app-db-name", "app-db-username", "app-db-password"), Set.of(), "app");
    private Probe probe;
    private List<String> scrub = List.of();
    private String output;
    private String planOutput;
    private PlanStatus keptPlan;

    ObservationBuilder(DatabaseMigration dbm) {
      this.dbm = dbm;
    }

    ObservationBuilder followed(String image) {
      template = new PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("api")
          .withImage(image).endContainer().endSpec().build();
      return this;
    }

    ObservationBuilder jobs(Job... all) {
      jobs = List.of(all);
      return this;
    }

    ObservationBuilder pods(Pod... all) {
      pods = List.of(all);
      return this;
    }

    ObservationBuilder secret(SecretView view) {
      secret = view;
      return this;
    }

    ObservationBuilder probe(Probe checked, String... secrets) {
      probe = checked;
      scrub = List.of(secrets);
      return this;
    }

    ObservationBuilder output(String printed) {
      output = printed;
      return this;
    }

    ObservationBuilder planOutput(String printed) {
      planOutput = printed;
      return this;
    }

    ObservationBuilder kept(PlanStatus plan) {
      keptPlan = plan;
      return this;
    }

    Observation build() {
      return new Observation(dbm, template, jobs, pods, secret, probe, scrub, output, NOW,
          planOutput, keptPlan);
    }
  }
}
