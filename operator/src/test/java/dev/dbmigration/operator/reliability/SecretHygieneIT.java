package dev.dbmigration.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dbmigration.operator.api.v1alpha1.Action;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.api.v1alpha1.Phase;
import dev.dbmigration.operator.testing.CapturedLog;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.RealMigrationStack;
import dev.dbmigration.operator.testing.ScenarioTable;
import dev.dbmigration.operator.testing.TestCluster;
import dev.dbmigration.operator.testing.TestPostgres;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A recognisable password goes through every path of the operator that touches the credentials
 * Secret, for real: the local Job runner runs the real {@code alembic} against a real PostgreSQL
 * whose role has that password. A run that succeeds, a history run, a rotation of the password,
 * a revision that fails with the password (plain and URL-encoded) in its error, a Secret whose
 * password sits under the wrong key. Then everything the operator wrote or logged is scanned for
 * the password in every spelling a leak could take: every log line of the JVM (the operator at
 * DEBUG), every exception message, every Event, every DatabaseMigration (status included), every
 * Job and every Pod's metadata and spec. Zero hits is the only pass; the scanner proves it can
 * see by finding the password where it is known to be (the Secrets, the tool's own output).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretHygieneIT {

  /** '@', ':', '/', '%' and '+' make the URL-encoded and the raw spelling differ. */
  static final String PASSWORD = "S3cr3t-Hygiene-" + randomHex() + "@:/%+";
  static final String ROTATED = "S3cr3t-Hygiene-Rotated-" + randomHex() + "@:/%+";
  static final Duration TIMEOUT = Duration.ofSeconds(90);
  static final String APP_IMAGE = "registry.example/wps-api:pr-1234";
  static final String BROKEN_IMAGE = "registry.example/broken:1";
  static final String NAME = "app";
  static final String SECRET = NAME + "-creds";

  static RealMigrationStack stack;
  static KubernetesClient client;
  static TestCluster cluster;
  static TestPostgres postgres;
  static CapturedLog log;
  static final List<String> namespaces = new ArrayList<>();
  /** The main environment, shared by the upgrade, history and rotation scenarios in order. */
  static Environment shared;

  @BeforeAll
  static void start() {
    // The operator at DEBUG (what LOG_LEVEL=debug gives in production), the rest as the product's
    // log4j2.xml has it; attached before anything starts, so startup is included.
    log = CapturedLog.start(Map.of("dev.dbmigration", Level.DEBUG, "io.javaoperatorsdk", Level.INFO));
    stack = RealMigrationStack.start(Map.of(APP_IMAGE, Path.of("examples/alembic"),
        BROKEN_IMAGE, Path.of("operator/src/test/resources/alembic-failing")));
    client = stack.client();
    cluster = stack.cluster();
    postgres = stack.postgres();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      for (String ns : namespaces) {
        client.resources(DatabaseMigration.class).inNamespace(ns).delete();
      }
      stack.close();
    }
    if (log != null) {
      log.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Scenarios
  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void anUpgradeRunsWithThePasswordBySecretReferenceOnly() throws Exception {
    shared = environment("hyg_ok", PASSWORD);
    cluster.apply(migration(shared, APP_IMAGE));
    DatabaseMigrationStatus done = awaitFinished(shared, 1);
    Job job = job(shared, done);
    String observed = done.getPhase() + " at " + postgres.alembicRevision(shared.db().database()) + "; password "
        + (passwordByReferenceOnly(job) ? "by secretKeyRef only" : "NOT by reference alone");
    record("secret hygiene: upgrade head with real alembic",
        "Succeeded at 8192a3b4c5d6; password by secretKeyRef only", observed);
  }

  @Test
  @Order(2)
  void aHistoryRunKeepsTheEnginesOutput() throws Exception {
    edit(shared, d -> d.getSpec().setAction(Action.HISTORY));
    DatabaseMigrationStatus done = awaitFinished(shared, 2);
    String output = Objects.toString(done.getOutput(), "");
    String observed = done.getPhase() + "; output "
        + (output.contains("Rev: 8192a3b4c5d6 (head)") ? "holds the history" : "lacks the history")
        + "; command " + String.join(" ", container(job(shared, done)).getCommand());
    record("secret hygiene: history action", "Succeeded; output holds the history; command "
        + "alembic history --verbose", observed);
  }

  @Test
  @Order(3)
  void aRotatedPasswordIsUsedByTheNextRun() throws Exception {
    TestPostgres.Credentials rotated = postgres.changePassword(shared.db(), ROTATED);
    client.secrets().inNamespace(shared.namespace()).withName(SECRET).edit(s -> {
      s.getData().put("app-db-password", base64(rotated.password()));
      return s;
    });
    edit(shared, d -> {
      d.getSpec().setAction(Action.UPGRADE);
      d.getSpec().setTarget("heads");
    });
    DatabaseMigrationStatus done = awaitFinished(shared, 3);
    String observed = done.getPhase() + " at " + postgres.alembicRevision(shared.db().database()) + "; password "
        + (passwordByReferenceOnly(job(shared, done)) ? "by secretKeyRef only" : "NOT by reference alone");
    record("secret hygiene: password rotated, then upgrade heads",
        "Succeeded at 8192a3b4c5d6; password by secretKeyRef only", observed);
  }

  @Test
  @Order(4)
  void aFailingRevisionThatPrintsThePasswordIsReportedMasked() throws Exception {
    Environment env = environment("hyg_fail", PASSWORD);
    cluster.apply(migration(env, BROKEN_IMAGE));
    DatabaseMigrationStatus failed = awaitFinished(env, 1);
    String message = Objects.toString(failed.getMessage(), "");
    String toolOutput = terminationMessages(env.namespace());
    String event = await("the failure's Warning Event").atMost(TIMEOUT).until(
        () -> events(env.namespace()).stream().filter(e -> "MigrationFailed".equals(e.getReason()))
            .map(Event::getMessage).findFirst().orElse(null), Objects::nonNull);
    String observed = failed.getPhase() + "; status "
        + shown(message) + "; Event " + shown(event) + "; the tool's own output "
        + (toolOutput.contains(PASSWORD) && toolOutput.contains(urlEncoded(PASSWORD))
            ? "held the password, plain and URL-encoded" : "did not hold the password");
    record("secret hygiene: failing revision whose error prints the password",
        "Failed; status engine error shown, password masked; Event engine error shown, password "
            + "masked; the tool's own output held the password, plain and URL-encoded", observed);
  }

  @Test
  @Order(5)
  void aPasswordUnderTheWrongKeyIsNeitherUsedNorShown() throws Exception {
    TestPostgres.Credentials db = postgres.createDatabase("hyg_nokey", PASSWORD);
    String ns = cluster.newNamespace("hyg-nokey");
    namespaces.add(ns);
    cluster.createSecret(ns, SECRET, Map.of("app-db-name", db.database(),
        "app-db-username", db.username(), "app-db-pass", db.password()));
    cluster.createReadyPod(ns, "patroni-app-0",
        Map.of("cluster-name", "patroni-app", "role", "master"), postgres.host());
    Environment env = new Environment(ns, db);
    cluster.apply(migration(env, APP_IMAGE));
    DatabaseMigrationStatus pending = awaitStatus(ns, s -> s.getPhase() != null);
    String observed = pending.getPhase() + " " + readyReason(pending) + ": "
        + (pending.getMessage().contains("app-db-password") ? "names app-db-password"
            : "does not name app-db-password") + "; " + cluster.jobs(ns).size() + " Jobs";
    record("secret hygiene: password under another key",
        "Pending SecretKeyMissing: names app-db-password; 0 Jobs", observed);
  }

  // ---------------------------------------------------------------------------------------------
  // The scan
  // ---------------------------------------------------------------------------------------------

  record Source(String kind, String name, String text) {
  }

  @Test
  @Order(99)
  void thePasswordAppearsNowhereTheOperatorWroteOrLogged() {
    assertThat(namespaces).as("the scenarios ran").hasSize(3);
    Map<String, List<Source>> sources = new LinkedHashMap<>();
    for (String kind : List.of("operator log lines", "logged exception messages", "Events",
        "DatabaseMigrations (status included)", "Jobs", "Pods (metadata and spec)")) {
      sources.put(kind, new ArrayList<>());
    }
    List<Source> podStatuses = new ArrayList<>();
    // Cluster-wide: a leak into another namespace is a leak all the same.
    client.v1().events().inAnyNamespace().list().getItems().forEach(e -> sources.get("Events")
        .add(new Source("Event", id(e.getMetadata().getNamespace(), e.getMetadata().getName()),
            Serialization.asJson(e))));
    client.resources(DatabaseMigration.class).inAnyNamespace().list().getItems().forEach(d ->
        sources.get("DatabaseMigrations (status included)").add(new Source("DatabaseMigration",
            id(d.getMetadata().getNamespace(), d.getMetadata().getName()), Serialization.asJson(d))));
    client.batch().v1().jobs().inAnyNamespace().list().getItems().forEach(j ->
        sources.get("Jobs").add(new Source("Job",
            id(j.getMetadata().getNamespace(), j.getMetadata().getName()), Serialization.asJson(j))));
    for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
      String id = id(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
      sources.get("Pods (metadata and spec)").add(new Source("Pod", id,
          Serialization.asJson(pod.getMetadata()) + Serialization.asJson(pod.getSpec())));
      podStatuses.add(new Source("Pod status", id, Serialization.asJson(pod.getStatus())));
    }
    List<String> lines = log.lines();
    for (int i = 0; i < lines.size(); i++) {
      sources.get("operator log lines").add(new Source("log line", "#" + (i + 1), lines.get(i)));
    }
    List<String> exceptions = log.exceptionMessages();
    for (int i = 0; i < exceptions.size(); i++) {
      sources.get("logged exception messages").add(new Source("exception", "#" + (i + 1),
          exceptions.get(i)));
    }

    Map<String, String> forms = new LinkedHashMap<>();
    forms.putAll(forms("password", PASSWORD));
    forms.putAll(forms("rotated password", ROTATED));

    // The scanner must find the password where it is known to be, or zero hits proves nothing.
    List<Source> secrets = new ArrayList<>();
    for (String ns : namespaces) {
      for (Secret secret : client.secrets().inNamespace(ns).list().getItems()) {
        secrets.add(new Source("Secret", id(ns, secret.getMetadata().getName()),
            Serialization.asJson(secret)));
      }
    }
    String selfCheck = "Secrets: " + (hits(secrets, forms.get("password base64")).isEmpty()
        ? "base64 NOT found" : "base64 found")
        + ", rotated " + (hits(secrets, forms.get("rotated password base64")).isEmpty()
        ? "NOT found" : "found")
        + "; failed pod's status (the tool's output, kept by the kubelet): "
        + (hits(podStatuses, forms.get("password raw")).isEmpty() ? "raw NOT found" : "raw found")
        + ", " + (hits(podStatuses, forms.get("password URL-encoded")).isEmpty()
        ? "URL-encoded NOT found" : "URL-encoded found");
    record("secret hygiene scan: the scanner finds the password where it is known to be",
        "Secrets: base64 found, rotated found; failed pod's status (the tool's output, kept by the "
            + "kubelet): raw found, URL-encoded found", selfCheck);

    List<String> allHits = new ArrayList<>();
    sources.forEach((kind, list) -> {
      List<String> found = new ArrayList<>();
      forms.forEach((label, form) -> hits(list, form).forEach(s -> found.add(label + " in "
          + s.kind() + " " + s.name() + ": " + context(s.text(), form))));
      allHits.addAll(found);
      record("secret hygiene scan: " + kind + ", " + list.size() + " scanned", "0 hits",
          found.size() + " hits" + (found.isEmpty() ? "" : ": " + found.get(0)));
    });

    System.out.printf("%nsecret hygiene: %d forms of 2 passwords searched (%s); %d log events "
            + "captured; %d hits%n", forms.size(), String.join(", ", forms.keySet()),
        log.events().size(), allHits.size());
    allHits.forEach(h -> System.out.println("  HIT " + h));

    assertThat(selfCheck).doesNotContain("NOT");
    assertThat(sources.get("operator log lines")).as("log lines captured").isNotEmpty();
    assertThat(log.events()).as("the operator's DEBUG lines were captured").anyMatch(e ->
        e.getLoggerName().startsWith("dev.dbmigration") && e.getLevel() == Level.DEBUG);
    assertThat(allHits).as("places that hold the password").isEmpty();
  }

  /**
   * The password as a leak could spell it. The core (without the characters that encodings
   * change) catches a masking that left part of it standing.
   */
  static Map<String, String> forms(String what, String password) {
    Map<String, String> forms = new LinkedHashMap<>();
    byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
    forms.put(what + " raw", password);
    forms.put(what + " core", password.substring(0, password.indexOf('@')));
    forms.put(what + " base64", stripPadding(Base64.getEncoder().encodeToString(bytes)));
    forms.put(what + " base64url", stripPadding(Base64.getUrlEncoder().encodeToString(bytes)));
    forms.put(what + " URL-encoded", urlEncoded(password));
    forms.put(what + " URL-encoded lowercase", urlEncoded(password).toLowerCase(Locale.ROOT));
    return forms;
  }

  static List<Source> hits(List<Source> sources, String form) {
    String lower = form.toLowerCase(Locale.ROOT);
    // Percent-encodings are compared without regard to case; every other form exactly.
    boolean anyCase = form.contains("%");
    return sources.stream().filter(s -> anyCase
        ? s.text().toLowerCase(Locale.ROOT).contains(lower) : s.text().contains(form)).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  record Environment(String namespace, TestPostgres.Credentials db) {
  }

  /** A PR environment whose leader pod is the test PostgreSQL, its role using {@code password}. */
  static Environment environment(String prefix, String password) throws Exception {
    TestPostgres.Credentials db = postgres.createDatabase(prefix, password);
    String ns = cluster.newNamespace(prefix.replace("_", "-"));
    namespaces.add(ns);
    cluster.createDatabaseEnvironment(ns, SECRET, "patroni-app", db, postgres);
    return new Environment(ns, db);
  }

  static DatabaseMigration migration(Environment env, String image) {
    DatabaseMigration dbm = Fixtures.migration(env.namespace(), NAME);
    dbm.getSpec().setImage(image);
    dbm.getSpec().getDatabase().setPort(postgres.port());
    return dbm;
  }

  static void edit(Environment env, Consumer<DatabaseMigration> change) {
    client.resources(DatabaseMigration.class).inNamespace(env.namespace()).withName(NAME)
        .edit(d -> {
          change.accept(d);
          return d;
        });
  }

  static DatabaseMigrationStatus awaitFinished(Environment env, long generation) {
    return awaitStatus(env.namespace(), s -> s.getObservedGeneration() != null
        && s.getObservedGeneration() == generation
        && (s.getPhase() == Phase.Succeeded || s.getPhase() == Phase.Failed));
  }

  static DatabaseMigrationStatus awaitStatus(String ns, Predicate<DatabaseMigrationStatus> until) {
    return await("status in " + ns).atMost(TIMEOUT).until(() -> {
      DatabaseMigration dbm = client.resources(DatabaseMigration.class).inNamespace(ns)
          .withName(NAME).get();
      return dbm == null ? null : dbm.getStatus();
    }, s -> s != null && s.getPhase() != null && until.test(s));
  }

  static Job job(Environment env, DatabaseMigrationStatus status) {
    return client.batch().v1().jobs().inNamespace(env.namespace()).withName(status.getJobName())
        .get();
  }

  static io.fabric8.kubernetes.api.model.Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** The password's variable refers to the Secret; no variable holds either password. */
  static boolean passwordByReferenceOnly(Job job) {
    List<EnvVar> env = container(job).getEnv();
    EnvVar password = env.stream().filter(e -> e.getName().equals("POSTGRES_PASSWORD")).findFirst()
        .orElse(null);
    return password != null && password.getValue() == null
        && password.getValueFrom() != null && password.getValueFrom().getSecretKeyRef() != null
        && SECRET.equals(password.getValueFrom().getSecretKeyRef().getName())
        && "app-db-password".equals(password.getValueFrom().getSecretKeyRef().getKey())
        && env.stream().map(e -> String.valueOf(e.getValue()))
            .noneMatch(v -> v.contains(PASSWORD) || v.contains(ROTATED));
  }

  /** What the status or an Event shows of the failure. */
  static String shown(String text) {
    String value = Objects.toString(text, "");
    return (value.contains("boom: intentional failure in revision b2c3d4e5f6a7")
        ? "engine error shown" : "engine error missing") + ", "
        + (value.contains(PASSWORD) || value.contains(urlEncoded(PASSWORD)) ? "password VISIBLE"
            : value.contains("***") ? "password masked" : "nothing masked");
  }

  /** The termination messages of the namespace's pods: the tool's own last output. */
  static String terminationMessages(String ns) {
    StringBuilder out = new StringBuilder();
    for (Pod pod : client.pods().inNamespace(ns).list().getItems()) {
      if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
        continue;
      }
      for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
        if (status.getState() != null && status.getState().getTerminated() != null) {
          out.append(Objects.toString(status.getState().getTerminated().getMessage(), ""));
        }
      }
    }
    return out.toString();
  }

  static String readyReason(DatabaseMigrationStatus status) {
    return status.getConditions().stream().filter(c -> "Ready".equals(c.getType()))
        .map(Condition::getReason).findFirst().orElse(null);
  }

  static List<Event> events(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems();
  }

  static void record(String scenario, String expected, String observed) {
    ScenarioTable.record(scenario, expected, observed);
    assertThat(observed).as(scenario).isEqualTo(expected);
  }

  static String id(String ns, String name) {
    return ns + "/" + name;
  }

  static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  static String urlEncoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static String stripPadding(String base64) {
    return base64.replaceAll("=+$", "");
  }

  static String randomHex() {
    byte[] bytes = new byte[4];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Where a hit stands, with the secret itself left out so the report does not repeat it. */
  static String context(String text, String form) {
    int at = text.toLowerCase(Locale.ROOT).indexOf(form.toLowerCase(Locale.ROOT));
    int from = Math.max(0, at - 60);
    int to = Math.min(text.length(), at + form.length() + 60);
    return (text.substring(from, at) + "<" + form.length() + " chars>"
        + text.substring(at + form.length(), to)).replace('\n', ' ');
  }
}
