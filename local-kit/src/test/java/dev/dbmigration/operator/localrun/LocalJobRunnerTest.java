package dev.dbmigration.operator.localrun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.localrun.LocalJobRunner.Verdict;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the runner takes on, and what environment its processes start from; no cluster needed. */
class LocalJobRunnerTest {

  static JobBuilder job() {
    return new JobBuilder().withNewMetadata().withNamespace("ns").withName("app-run-1")
        .withUid("0b5c7f0e-1").endMetadata().withNewSpec().withBackoffLimit(0).endSpec();
  }

  static Job withCondition(String type, String status) {
    return job().withNewStatus().withStartTime("2025-01-01T00:00:00Z").addNewCondition()
        .withType(type).withStatus(status).endCondition().endStatus().build();
  }

  @Test
  void runsANewJob() {
    assertThat(LocalJobRunner.verdict(job().build())).isEqualTo(Verdict.RUN);
    assertThat(LocalJobRunner.verdict(job().withNewStatus().endStatus().build()))
        .isEqualTo(Verdict.RUN);
  }

  @Test
  void leavesAStartedJobAloneRatherThanRunItTwice() {
    Job started = job().withNewStatus().withStartTime("2025-01-01T00:00:00Z").withActive(1)
        .endStatus().build();

    assertThat(LocalJobRunner.verdict(started)).isEqualTo(Verdict.LEAVE_STARTED_ELSEWHERE);
    assertThat(LocalJobRunner.verdict(withCondition("FailureTarget", "True")))
        .isEqualTo(Verdict.LEAVE_STARTED_ELSEWHERE);
  }

  @Test
  void ignoresFinishedJobs() {
    assertThat(LocalJobRunner.verdict(withCondition("Complete", "True"))).isEqualTo(Verdict.IGNORE);
    assertThat(LocalJobRunner.verdict(withCondition("Failed", "True"))).isEqualTo(Verdict.IGNORE);
  }

  @Test
  void ignoresSuspendedAndDeletingJobs() {
    assertThat(LocalJobRunner.verdict(job().editSpec().withSuspend(true).endSpec().build()))
        .isEqualTo(Verdict.IGNORE);
    assertThat(LocalJobRunner.verdict(job().editMetadata()
        .withDeletionTimestamp("2025-01-01T00:00:00Z").endMetadata().build()))
        .isEqualTo(Verdict.IGNORE);
  }

  @Test
  void processesInheritOnlyPathHomeLangAndTmpdir() {
    Map<String, String> runner = Map.of("PATH", "/usr/bin", "HOME", "/home/me", "LANG", "C.UTF-8",
        "TMPDIR", "/tmp", "AWS_SECRET_ACCESS_KEY", "x", "KUBECONFIG", "/k", "JAVA_HOME", "/j");

    assertThat(LocalJobRunner.baseEnvironment(runner, Map.of()))
        .containsOnlyKeys("PATH", "HOME", "LANG", "TMPDIR");
  }

  @Test
  void extraVariablesAddToAndOverrideTheInheritedOnes() {
    Map<String, String> runner = Map.of("PATH", "/usr/bin", "HOME", "/home/me");

    assertThat(LocalJobRunner.baseEnvironment(runner,
        Map.of("PATH", "/venv/bin:/usr/bin", "PYTHONDONTWRITEBYTECODE", "1")))
        .containsExactlyInAnyOrderEntriesOf(Map.of("PATH", "/venv/bin:/usr/bin", "HOME",
            "/home/me", "PYTHONDONTWRITEBYTECODE", "1"));
  }
}
