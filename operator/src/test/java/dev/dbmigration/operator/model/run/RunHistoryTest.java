package dev.dbmigration.operator.model.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.LeaderStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.api.v1alpha1.RunRecord;
import dev.dbmigration.operator.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunHistoryTest {

  @Test
  void anEntrySaysWhatRanAndWhatItDid() {
    DatabaseMigration dbm = Fixtures.migration("wps-pr-1", "wps-api");
    dbm.getMetadata().setGeneration(3L);
    dbm.getSpec().setTarget("+2");
    Run run = new Run("wps-api-g3-abcde", null, new LeaderStatus("db-0", "10.0.0.5"),
        "2026-11-24T10:00:00Z", "2026-11-24T10:00:09Z", null, null, "registry.example/app:v2");

    RunRecord entry = RunHistory.entry(dbm, run, Phase.Succeeded, "1a2b3c4d5e6f", "3c4d5e6f7081");

    assertThat(entry.getGeneration()).isEqualTo(3L);
    assertThat(entry.getAction()).isEqualTo("upgrade");
    assertThat(entry.getTarget()).isEqualTo("+2");
    assertThat(entry.getImage()).isEqualTo("registry.example/app:v2");
    assertThat(entry.getFrom()).isEqualTo("1a2b3c4d5e6f");
    assertThat(entry.getTo()).isEqualTo("3c4d5e6f7081");
    assertThat(entry.getResult()).isEqualTo("Succeeded");
    assertThat(entry.getJobName()).isEqualTo("wps-api-g3-abcde");
    assertThat(entry.getFinishedAt()).isEqualTo("2026-11-24T10:00:09Z");
  }

  @Test
  void keepsTheNewestEntriesOnly() {
    List<RunRecord> history = new ArrayList<>();
    for (int i = 1; i <= RunHistory.MAX_ENTRIES + 3; i++) {
      history = RunHistory.append(history, record("job-" + i));
    }

    assertThat(history).hasSize(RunHistory.MAX_ENTRIES);
    assertThat(history.get(0).getJobName()).isEqualTo("job-4");
    assertThat(history.get(history.size() - 1).getJobName())
        .isEqualTo("job-" + (RunHistory.MAX_ENTRIES + 3));
  }

  @Test
  void aRunIsRecordedOnceWhenItsStatusWriteIsRetried() {
    List<RunRecord> once = RunHistory.append(null, record("job-1"));

    assertThat(RunHistory.append(once, record("job-1"))).hasSize(1);
    assertThat(RunHistory.append(once, null)).hasSize(1);
  }

  private static RunRecord record(String job) {
    RunRecord record = new RunRecord();
    record.setJobName(job);
    return record;
  }
}
