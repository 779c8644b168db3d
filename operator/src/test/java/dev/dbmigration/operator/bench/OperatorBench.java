package dev.dbmigration.operator.bench;

import dev.dbmigration.operator.api.v1alpha1.DatabaseMigration;
import dev.dbmigration.operator.api.v1alpha1.DatabaseMigrationStatus;
import dev.dbmigration.operator.database.DatabaseLogin;
import dev.dbmigration.operator.database.Probe;
import dev.dbmigration.operator.database.RevisionReader;
import dev.dbmigration.operator.model.job.Labels;
import dev.dbmigration.operator.testing.Fixtures;
import dev.dbmigration.operator.testing.KubeApiServerSupport;
import dev.dbmigration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;

/**
 * Benchmark of the operator's own cost on one real kube-apiserver (no kubelet, no controllers),
 * against the floor measured in the same JVM on the same server: a plain client creating Jobs
 * while it watches them. Not a test: run it through {@code hack/bench.sh}.
 *
 * <p>Phases, each waiting on watch events (never on a sleep), except the idle window, whose fixed
 * length is the measurement itself:
 * <ol>
 *   <li>floor: create N Jobs one after the other, latency create call → watch ADDED; then
 *       complete each one, latency /status update → watch MODIFIED; and N DatabaseMigrations
 *       created while no operator runs (then deleted), create call → watch ADDED;</li>
 *   <li>environments: a pull request's namespace per resource, as real ones are
 *       ({@link PrNamespace}), and one namespace in five with an app but no database;</li>
 *   <li>startup: one resource exists before {@code start()}; time until its status is written;
 *       then memory, with every namespace synced;</li>
 *   <li>one at a time: 20 resources, each created when the previous one has its Job and status,
 *       then each Job completed when the previous resource has Succeeded;</li>
 *   <li>N resources, one per namespace, created one after the other: create → Job ADDED,
 *       create → status Running; then every Job completed: completion → status Succeeded;</li>
 *   <li>idle: requests the operator makes in a fixed window after everything succeeded;</li>
 *   <li>memory: heap after a full GC and the process RSS.</li>
 * </ol>
 * Only the operator's client is counted; the harness uses a client of its own.
 */
public final class OperatorBench {

  static final int PG_PORT = 5432;
  /** One namespace in this many holds an app without a database or a DatabaseMigration. */
  static final int APP_ONLY_ONE_IN = 5;
  private static final int SETUP_THREADS = 6;
  /** Resources created one at a time before the burst. */
  static final int PACED = 20;

  private final int n;
  private final int idleSeconds;
  private final boolean trace;
  private final Path outDir;
  private final Duration timeout;
  private final String label;
  private final String operatorClasspath;
  private final Path imagePom;
  private final Properties out = new Properties();

  private KubernetesClient harness;
  private TestCluster cluster;

  OperatorBench(int n, int idleSeconds, boolean trace, Path outDir, String label,
      String operatorClasspath, Path imagePom) {
    this.n = n;
    this.label = label;
    this.operatorClasspath = operatorClasspath;
    this.imagePom = imagePom;
    this.idleSeconds = idleSeconds;
    this.trace = trace;
    this.outDir = outDir;
    this.timeout = Duration.ofSeconds(Math.max(120, n * 3L / 10));
  }

  public static void main(String[] args) throws Exception {
    int n = 100;
    int idle = 60;
    Path outFile = null;
    boolean trace = false;
    String label = "after";
    String operatorClasspath = null;
    Path imagePom = Path.of("operator/pom.xml");
    for (String arg : args) {
      if (arg.startsWith("--n=")) {
        n = Integer.parseInt(arg.substring(4));
      } else if (arg.startsWith("--idle-seconds=")) {
        idle = Integer.parseInt(arg.substring("--idle-seconds=".length()));
      } else if (arg.startsWith("--out=")) {
        outFile = Path.of(arg.substring(6));
      } else if (arg.equals("--trace")) {
        trace = true;
      } else if (arg.startsWith("--label=")) {
        label = arg.substring("--label=".length());
      } else if (arg.startsWith("--operator-classpath=")) {
        operatorClasspath = arg.substring("--operator-classpath=".length());
      } else if (arg.startsWith("--image-pom=")) {
        imagePom = Path.of(arg.substring("--image-pom=".length()));
      } else {
        throw new IllegalArgumentException("unknown argument " + arg
            + " (expected --n=N --idle-seconds=S --out=FILE [--trace] [--label=L]"
            + " [--operator-classpath=CP] [--image-pom=POM])");
      }
    }
    int code = 0;
    try {
      Path dir = outFile == null ? Path.of("target/bench")
          : outFile.toAbsolutePath().getParent();
      Properties results = new OperatorBench(n, idle, trace, dir, label, operatorClasspath,
          imagePom)
          .run();
      if (outFile != null) {
        Files.createDirectories(outFile.toAbsolutePath().getParent());
        try (OutputStream os = Files.newOutputStream(outFile)) {
          results.store(os, "OperatorBench N=" + n);
        }
      }
    } catch (Throwable e) {
      e.printStackTrace();
      code = 1;
    }
    // JOSDK and fabric8 leave non-daemon executors behind; the shutdown hook stops the server.
    System.exit(code);
  }

  Properties run() throws Exception {
    progress("starting kube-apiserver (kube-api-test, offline)");
    Path kubeconfig = outDir.resolve("kubeconfig-" + label + "-" + n + ".yaml");
    Files.createDirectories(outDir);
    Files.writeString(kubeconfig, KubeApiServerSupport.kubeConfigYaml());
    harness = KubeApiServerSupport.newClient();
    KubeApiServerSupport.applyCrd(harness);
    cluster = new TestCluster(harness);
    put("n", n);
    put("label", label);
    put("idle.seconds", idleSeconds);
    put("server.version", harness.getKubernetesVersion().getGitVersion());
    put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    put("loadavg.start", loadAverage());
    put("trace", trace);

    Cpu floorCpu = Cpu.now(null);
    floor();
    putCpu("floor.cpu", Cpu.now(null).minus(floorCpu), n);
    customResourceFloor();

    // Every resource has a pull request's namespace of its own, as in a real cluster, with its
    // own database (named after the namespace: runs on one database wait for each other, which
    // is not what this measures) whose leader is at its own loopback address: nothing listens
    // there, so the operator's JDBC probe is refused at once (its cost is measured below).
    int k = Math.min(PACED, n);
    List<String> warmNs = List.of("pr-warmup");
    List<String> pacedNs = names("pr-paced-%03d", k);
    List<String> burstNs = names("pr-%05d", n);
    List<String> withDatabase = new ArrayList<>(warmNs);
    withDatabase.addAll(pacedNs);
    withDatabase.addAll(burstNs);
    List<String> appOnly = names("app-%05d", withDatabase.size() / (APP_ONLY_ONE_IN - 1));
    progress("creating " + withDatabase.size() + " pull-request namespaces with a database and "
        + appOnly.size() + " without (" + PrNamespace.OBJECTS_WITH_DATABASE + " and "
        + PrNamespace.OBJECTS_APP_ONLY + " objects each)");
    long setup = System.nanoTime();
    environments(withDatabase, appOnly);
    put("setup.s", sec(System.nanoTime() - setup));
    put("namespaces.database", withDatabase.size());
    put("namespaces.appOnly", appOnly.size());
    put("objects", withDatabase.size() * (long) PrNamespace.OBJECTS_WITH_DATABASE
        + appOnly.size() * (long) PrNamespace.OBJECTS_APP_ONLY);
    putNamespaceBytes(warmNs.get(0));
    put("leader.address", leaderIp(0) + " … " + leaderIp(withDatabase.size() - 1) + " port "
        + PG_PORT + " (" + probeLoopback(leaderIp(0)) + ")");
    putProbeCost();
    List<DatabaseMigration> warm = warmNs.stream().map(PrNamespace::migration).toList();
    List<DatabaseMigration> paced = pacedNs.stream().map(PrNamespace::migration).toList();
    List<DatabaseMigration> burst = burstNs.stream().map(PrNamespace::migration).toList();

    Marks jobAdded = new Marks("Job ADDED");
    Marks firstStatus = new Marks("first status");
    Marks running = new Marks("status Running");
    Marks succeeded = new Marks("status Succeeded");
    Marks announced = new Marks("MigrationSucceeded Event");
    Map<String, Job> jobByOwner = new ConcurrentHashMap<>();
    Map<String, String> unexpected = new ConcurrentHashMap<>();

    Watch jobWatch = harness.batch().v1().jobs().inAnyNamespace()
        .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .watch(fromNow(harness.batch().v1().jobs().inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).list().getMetadata()
            .getResourceVersion()), new Handler<>(jobAdded) {
              @Override
              void on(Action action, Job job, long at) {
                String owner = ownerUid(job);
                if (action == Action.ADDED && owner != null) {
                  jobByOwner.putIfAbsent(owner, job);
                  jobAdded.mark(owner, at);
                }
              }
            });
    Watch dbmWatch = harness.resources(DatabaseMigration.class).inAnyNamespace()
        .watch(fromNow(harness.resources(DatabaseMigration.class).inAnyNamespace().list()
            .getMetadata().getResourceVersion()), new Handler<>(firstStatus, running, succeeded) {
              @Override
              void on(Action action, DatabaseMigration dbm, long at) {
                DatabaseMigrationStatus status = dbm.getStatus();
                if (status == null || status.getPhase() == null) {
                  return;
                }
                String uid = dbm.getMetadata().getUid();
                firstStatus.mark(uid, at);
                switch (status.getPhase()) {
                  case Running -> running.mark(uid, at);
                  case Succeeded -> succeeded.mark(uid, at);
                  default -> unexpected.putIfAbsent(uid, dbm.getMetadata().getNamespace() + "/"
                      + dbm.getMetadata().getName() + ": " + status.getPhase() + " "
                      + status.getMessage());
                }
              }
            });

    // A run's last write is its success Event: counts are taken once it is seen, so that no
    // phase's requests are counted in the next.
    Watch eventWatch = harness.v1().events().inAnyNamespace()
        .withField("reason", "MigrationSucceeded")
        .watch(fromNow(harness.v1().events().inAnyNamespace().list().getMetadata()
            .getResourceVersion()), new Handler<>(announced) {
              @Override
              void on(Action action, Event event, long at) {
                if (action == Action.ADDED && event.getInvolvedObject() != null) {
                  announced.mark(event.getInvolvedObject().getUid(), at);
                }
              }
            });

    // ---- startup: one resource waits before the operator's JVM is launched
    String warmUid = create(warm.get(0));
    ImageJvm image = ImageJvm.of(imagePom);
    List<String> jvmOptions = OperatorJvm.options(image);
    put("operator.jvm.options", String.join(" ", jvmOptions));
    put("operator.jvm.env", image.environment().isEmpty() ? "none"
        : image.environment().toString());
    put("operator.classpath", operatorClasspath == null ? "the harness's"
        : operatorClasspath.split(java.io.File.pathSeparator)[0]
            + (operatorClasspath.contains(java.io.File.pathSeparator) ? " and its runtime"
            + " dependencies" : ""));
    progress("starting the operator's JVM (" + String.join(" ", jvmOptions)
        + "; one resource already waiting)" + (trace ? ", with the JOSDK stage trace" : ""));
    OperatorJvm operator;
    try {
      operator = OperatorJvm.start(kubeconfig, jvmOptions, image.environment(),
          operatorClasspath, outDir.resolve("operator-" + label + "-" + n + ".log")
              .toAbsolutePath(), outDir.resolve("operator-" + label + "-" + n + ".stderr"), trace);
    } catch (IOException e) {
      // An operator that dies while its informers list the cluster (out of memory: the caches
      // hold what the namespaces hold) is a result too; the other builds and N still run.
      put("failed", "startup: before start() returned, " + e.getMessage());
      progress("failed at startup: " + e.getMessage());
      put("loadavg.end", loadAverage());
      jobWatch.close();
      dbmWatch.close();
      eventWatch.close();
      harness.close();
      progress("done");
      return out;
    }
    String phase = "startup";
    try {
      long[] uptime = operator.startedUptime();
      put("startup.jvm.ms", uptime[0]);
      put("startup.start.ms", uptime[1] - uptime[0]);
      Marks.alive = operator::isAlive;
      firstStatus.await(List.of(warmUid), timeout);
      put("startup.firstStatus.ms", ms(firstStatus.at(warmUid) - operator.spawnedNanos()));
      jobAdded.await(List.of(warmUid), timeout);
      running.await(List.of(warmUid), timeout);
      complete(jobByOwner.get(warmUid));
      succeeded.await(List.of(warmUid), timeout);
      announced.await(List.of(warmUid), timeout);
      putRequests("startup", operator.requests(), 1);
      // What the cluster's other objects cost the operator: every namespace is there, one
      // resource has run.
      putMemory("synced.", operator);
      operator.writeClassHistogram(outDir.resolve("histogram-" + label + "-" + n + "-synced.txt")
          .toAbsolutePath());

      // ---- one at a time: the chain's own latency, without the queueing of a burst
      phase = "one at a time";
      progress("creating " + k + " DatabaseMigrations one at a time (each waits for the last)");
      long[] pacedCreate = new long[k];
      long[] pacedComplete = new long[k];
      List<String> pacedUids = new ArrayList<>(k);
      List<String> pacedKeys = keys(paced);
      for (int i = 0; i < k; i++) {
        pacedCreate[i] = System.nanoTime();
        String uid = create(paced.get(i));
        pacedUids.add(uid);
        jobAdded.await(List.of(uid), timeout);
        running.await(List.of(uid), timeout);
      }
      for (int i = 0; i < k; i++) {
        String uid = pacedUids.get(i);
        pacedComplete[i] = System.nanoTime();
        complete(jobByOwner.get(uid));
        succeeded.await(List.of(uid), timeout);
      }
      put("paced.k", k);
      putPercentiles("paced.create.job", latencies(pacedUids, pacedCreate, jobAdded));
      putPercentiles("paced.complete.succeeded",
          latencies(pacedUids, pacedComplete, succeeded));
      announced.await(pacedUids, timeout);
      putRequests("paced", operator.requests(), k);

      // ---- N resources
      phase = "N resources";
      progress("creating " + n + " DatabaseMigrations, one per namespace");
      Cpu cpu0 = Cpu.now(operator);
      long[] createStart = new long[n];
      List<String> uids = new ArrayList<>(n);
      List<String> keys = keys(burst);
      long begin = System.nanoTime();
      for (int i = 0; i < n; i++) {
        createStart[i] = System.nanoTime();
        uids.add(create(burst.get(i)));
      }
      long createdAll = System.nanoTime();
      put("create.loop.s", sec(createdAll - begin));
      jobAdded.await(uids, timeout);
      running.await(uids, timeout);
      RequestCounter.Requests creation = operator.requests();
      put("all.jobs.s", sec(jobAdded.latest(uids) - begin));
      put("all.running.s", sec(running.latest(uids) - begin));
      put("running.after.last.create.s", sec(running.latest(uids) - createdAll));
      putPercentiles("create.job", latencies(uids, createStart, jobAdded));
      putPercentiles("create.running", latencies(uids, createStart, running));

      progress("completing " + n + " Jobs through /status");
      long[] completeStart = new long[n];
      long completeBegin = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Job job = jobByOwner.get(uids.get(i));
        completeStart[i] = System.nanoTime();
        complete(job);
      }
      put("complete.loop.s", sec(System.nanoTime() - completeBegin));
      succeeded.await(uids, timeout);
      announced.await(uids, timeout);
      RequestCounter.Requests completion = operator.requests();
      Cpu cpu = Cpu.now(operator).minus(cpu0);
      put("all.succeeded.s", sec(succeeded.latest(uids) - begin));
      put("completion.window.s", sec(succeeded.latest(uids) - completeBegin));
      putPercentiles("complete.succeeded", latencies(uids, completeStart, succeeded));
      putCpu("lifecycle.cpu", cpu, n);
      putRequests("creation", creation, n);
      putRequests("completion", completion, n);
      putRequests("lifecycle", creation.plus(completion), n);
      put("unexpected", unexpected.isEmpty() ? "none" : unexpected.size() + ": "
          + unexpected.values().stream().limit(3).toList());

      // ---- idle: the window's fixed length is the measurement; across it the operator's
      // process must stay up (checked locally, so the check adds no request to what is counted)
      phase = "idle";
      progress("idle window of " + idleSeconds + " s");
      Cpu idleCpu0 = Cpu.now(operator);
      Awaitility.await("the operator stays up through the idle window")
          .pollInterval(Duration.ofSeconds(1))
          .during(Duration.ofSeconds(idleSeconds))
          .atMost(Duration.ofSeconds(idleSeconds + 10L))
          .until(operator::isAlive);
      putRequests("idle", operator.requests(), 1);
      put("idle.cpu.operator.ms", fmt(Cpu.now(operator).minus(idleCpu0).operator() / 1e6));

      phase = "memory";
      putMemory("", operator);
      Path histogram = outDir.resolve("histogram-" + label + "-" + n + ".txt");
      operator.writeClassHistogram(histogram.toAbsolutePath());
      put("histogram.file", histogram);
      if (jvmOptions.stream().anyMatch(a -> a.startsWith("-XX:NativeMemoryTracking=")
          && !a.endsWith("=off"))) {
        Path nmt = outDir.resolve("nmt-" + label + "-" + n + ".txt");
        operator.writeNativeMemorySummary(nmt);
        put("nmt.file", nmt);
      }
      if (trace) {
        Path file = outDir.resolve("trace-" + label + "-" + n + ".tsv");
        operator.writeTrace(file.toAbsolutePath());
        StageTrace stages = StageTrace.read(file);
        traceCreate("trace.paced.", stages, pacedKeys, pacedUids, pacedCreate, jobAdded,
            running);
        traceComplete("trace.paced.", stages, pacedKeys, pacedUids, pacedComplete, succeeded);
        traceCreate("trace.", stages, keys, uids, createStart, jobAdded, running);
        traceComplete("trace.", stages, keys, uids, completeStart, succeeded);
      }
    } catch (Exception e) {
      // The run stops here, and says so in the report: an operator that dies (out of memory)
      // or stops converging is a result too.
      String why = operator.isAlive() ? e.getMessage() : "the operator's JVM exited: "
          + operator.exitDescription();
      put("failed", phase + ": " + why);
      progress("failed in phase " + phase + ": " + why);
    }
    put("loadavg.end", loadAverage());

    jobWatch.close();
    dbmWatch.close();
    eventWatch.close();
    operator.close();
    harness.close();
    progress("done");
    return out;
  }

  /**
   * Creates {@code dbm}; its uid. Under load the client may time out on a create the server has
   * made, and its retry then finds the resource there: that one is the harness's own.
   */
  private String create(DatabaseMigration dbm) {
    try {
      return harness.resource(dbm).create().getMetadata().getUid();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return harness.resources(DatabaseMigration.class)
          .inNamespace(dbm.getMetadata().getNamespace()).withName(dbm.getMetadata().getName())
          .get().getMetadata().getUid();
    }
  }

  private static List<String> names(String format, int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(String.format(Locale.ROOT, format, i));
    }
    return names;
  }

  /** Every namespace with its objects, a few requests in flight at once. */
  private void environments(List<String> withDatabase, List<String> appOnly) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < withDatabase.size(); i++) {
        String ns = withDatabase.get(i);
        String ip = leaderIp(i);
        long seed = i;
        done.add(pool.submit(() -> {
          PrNamespace.create(harness, ns, ip, seed);
          return null;
        }));
      }
      for (int i = 0; i < appOnly.size(); i++) {
        String ns = appOnly.get(i);
        long seed = -1 - i;
        done.add(pool.submit(() -> {
          PrNamespace.create(harness, ns, null, seed);
          return null;
        }));
      }
      for (int i = 0; i < done.size(); i++) {
        done.get(i).get(timeout.toSeconds(), TimeUnit.SECONDS);
        if ((i + 1) % 1000 == 0) {
          progress((i + 1) + " of " + done.size() + " namespaces created");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** What one pull request's namespace weighs on the API server, by kind (JSON bytes). */
  private void putNamespaceBytes(String ns) {
    put("ns.bytes.secrets", Serialization.asJson(harness.secrets().inNamespace(ns).list())
        .length());
    put("ns.bytes.pods", Serialization.asJson(harness.pods().inNamespace(ns).list()).length());
    put("ns.bytes.configmaps", Serialization.asJson(harness.configMaps().inNamespace(ns).list())
        .length());
    put("ns.bytes.workloads", Serialization.asJson(harness.apps().deployments().inNamespace(ns)
        .list()).length() + Serialization.asJson(harness.apps().statefulSets().inNamespace(ns)
        .list()).length() + Serialization.asJson(harness.apps().replicaSets().inNamespace(ns)
        .list()).length());
  }

  private void putMemory(String prefix, OperatorJvm operator) throws IOException {
    long[] memory = operator.memory();
    put(prefix + "heap.used.mib", mib(memory[0]));
    put(prefix + "heap.committed.mib", mib(memory[1]));
    put(prefix + "rss.mib", mib(memory[2] * 1024));
    put(prefix + "rss.peak.mib", mib(memory[3] * 1024));
    put(prefix + "threads", memory[4]);
  }

  /** The floor: a plain client creating Jobs (then finishing them) while it watches them. */
  private void floor() throws Exception {
    String ns = cluster.newNamespace("bench-floor");
    progress("floor: creating " + n + " Jobs directly in " + ns);
    Marks added = new Marks("floor ADDED");
    Marks done = new Marks("floor completed");
    Map<String, Job> jobs = new ConcurrentHashMap<>();
    Watch watch = harness.batch().v1().jobs().inNamespace(ns).watch(
        fromNow(harness.batch().v1().jobs().inNamespace(ns).list().getMetadata()
            .getResourceVersion()), new Handler<>(added, done) {
          @Override
          void on(Action action, Job job, long at) {
            String name = job.getMetadata().getName();
            if (action == Action.ADDED) {
              jobs.putIfAbsent(name, job);
              added.mark(name, at);
            } else if (action == Action.MODIFIED && job.getStatus() != null
                && job.getStatus().getCompletionTime() != null) {
              done.mark(name, at);
            }
          }
        });
    List<String> names = new ArrayList<>(n);
    long[] start = new long[n];
    long begin = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String name = String.format(Locale.ROOT, "floor-%05d", i);
      names.add(name);
      start[i] = System.nanoTime();
      harness.batch().v1().jobs().inNamespace(ns).resource(minimalJob(ns, name)).create();
    }
    put("floor.loop.s", sec(System.nanoTime() - begin));
    added.await(names, timeout);
    putPercentiles("floor.create", latencies(names, start, added));
    long[] updateStart = new long[n];
    for (int i = 0; i < n; i++) {
      updateStart[i] = System.nanoTime();
      complete(jobs.get(names.get(i)));
    }
    done.await(names, timeout);
    putPercentiles("floor.update", latencies(names, updateStart, done));
    watch.close();
  }

  /**
   * The same floor for the custom resource, before the operator runs: the API server's cost of a
   * DatabaseMigration create (schema, CEL rules) without anything reacting to it. The resources
   * are deleted afterwards, so the operator never sees them.
   */
  private void customResourceFloor() throws Exception {
    String ns = cluster.newNamespace("bench-crfloor");
    progress("floor: creating " + n + " DatabaseMigrations in " + ns + " (operator not running)");
    Marks added = new Marks("custom resource floor ADDED");
    Watch watch = harness.resources(DatabaseMigration.class).inNamespace(ns).watch(
        fromNow(harness.resources(DatabaseMigration.class).inNamespace(ns).list().getMetadata()
            .getResourceVersion()), new Handler<>(added) {
          @Override
          void on(Action action, DatabaseMigration dbm, long at) {
            if (action == Action.ADDED) {
              added.mark(dbm.getMetadata().getName(), at);
            }
          }
        });
    List<String> names = new ArrayList<>(n);
    long[] start = new long[n];
    long begin = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String name = String.format(Locale.ROOT, "f-%05d", i);
      names.add(name);
      start[i] = System.nanoTime();
      harness.resource(Fixtures.migration(ns, name)).create();
    }
    put("crfloor.loop.s", sec(System.nanoTime() - begin));
    added.await(names, timeout);
    putPercentiles("crfloor.create", latencies(names, start, added));
    watch.close();
    harness.resources(DatabaseMigration.class).inNamespace(ns).delete();
  }

  private static Job minimalJob(String ns, String name) {
    return new JobBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
        .withNewSpec().withBackoffLimit(0)
        .withNewTemplate().withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName("main").withImage("busybox").endContainer()
        .endSpec().endTemplate().endSpec()
        .build();
  }

  /** Marks a Job succeeded the way the Job controller would (see TestCluster.completeJob). */
  private void complete(Job job) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String start = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS).toString();
    job.setStatus(new JobStatusBuilder()
        .withStartTime(start)
        .withCompletionTime(now)
        .withSucceeded(1)
        .withFailed(0)
        .withActive(0)
        .withReady(0)
        .withConditions(condition("SuccessCriteriaMet", now), condition("Complete", now))
        .build());
    // The Job as the watch delivered it: nothing else writes Jobs here, so its resourceVersion
    // is current and the update is one request.
    try {
      harness.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job)
          .updateStatus();
    } catch (KubernetesClientException e) {
      // Under load, a retry of an update the server made: done, unless the Job moved on.
      Job current = e.getCode() == 409 ? harness.resource(job).get() : null;
      if (current == null) {
        throw e;
      }
      if (current.getStatus() == null || current.getStatus().getCompletionTime() == null) {
        current.setStatus(job.getStatus());
        harness.resource(current).updateStatus();
      }
    }
  }

  private static JobCondition condition(String type, String now) {
    return new JobConditionBuilder().withType(type).withStatus("True")
        .withReason("CompletionsReached").withLastProbeTime(now).withLastTransitionTime(now)
        .build();
  }

  /** 127.100.0.1, 127.100.0.2, ...: loopback addresses nothing listens on. */
  static String leaderIp(int i) {
    return "127.100." + (i / 250) + "." + (i % 250 + 1);
  }

  private static List<String> keys(List<DatabaseMigration> resources) {
    return resources.stream().map(d -> StageTrace.key(d.getMetadata().getNamespace(),
        d.getMetadata().getName())).toList();
  }

  /**
   * What the operator's JDBC probe costs when the leader refuses the connection, as in this
   * benchmark: the same {@link RevisionReader} call, timed here.
   */
  private void putProbeCost() {
    RevisionReader reader = new RevisionReader();
    int samples = 50;
    double[] ms = new double[samples];
    for (int i = 0; i < samples + 10; i++) {
      long t = System.nanoTime();
      Probe probe = reader.probe(new DatabaseLogin(leaderIp(0), PG_PORT, "bench", "bench",
          TestCluster.PASSWORD), null);
      if (!(probe instanceof Probe.Unreachable)) {
        throw new IllegalStateException("something answers at " + leaderIp(0) + ":" + PG_PORT);
      }
      if (i >= 10) {
        ms[i - 10] = (System.nanoTime() - t) / 1e6;
      }
    }
    putPercentiles("probe", ms);
  }

  private static String ownerUid(Job job) {
    List<OwnerReference> owners = job.getMetadata().getOwnerReferences();
    if (owners == null) {
      return null;
    }
    return owners.stream().filter(o -> "DatabaseMigration".equals(o.getKind()))
        .map(OwnerReference::getUid).findFirst().orElse(null);
  }

  private static ListOptions fromNow(String resourceVersion) {
    return new ListOptionsBuilder().withResourceVersion(resourceVersion).build();
  }

  /** What listens on a leader's address: the operator's JDBC probe goes there. */
  private static String probeLoopback(String ip) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(ip, PG_PORT), 1000);
      return "something listens there: the probe logs in and fails";
    } catch (ConnectException e) {
      return "connection refused";
    } catch (IOException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** create → operator got the event → reconcile started → Job seen → reconcile finished. */
  private void traceCreate(String prefix, StageTrace stages, List<String> keys, List<String> uids,
      long[] createStart, Marks jobAdded, Marks running) throws Exception {
    long[][] c = stages.chains(StageTrace.Kind.PRIMARY_EVENT, keys, createStart, timeout);
    double[][] ms = new double[5][keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      ms[0][i] = (c[i][0] - createStart[i]) / 1e6;
      ms[1][i] = (c[i][1] - c[i][0]) / 1e6;
      ms[2][i] = (jobAdded.at(uids.get(i)) - c[i][1]) / 1e6;
      ms[3][i] = (c[i][2] - c[i][1]) / 1e6;
      ms[4][i] = (running.at(uids.get(i)) - c[i][2]) / 1e6;
    }
    putPercentiles(prefix + "create.received", ms[0]);
    putPercentiles(prefix + "received.started", ms[1]);
    putPercentiles(prefix + "started.job", ms[2]);
    putPercentiles(prefix + "started.finished", ms[3]);
    putPercentiles(prefix + "finished.running", ms[4]);
  }

  /** Job completed → operator got its event → reconcile started → finished → Succeeded seen. */
  private void traceComplete(String prefix, StageTrace stages, List<String> keys,
      List<String> uids, long[] completeStart, Marks succeeded) throws Exception {
    long[][] c = stages.chains(StageTrace.Kind.SECONDARY_EVENT, keys, completeStart, timeout);
    double[][] ms = new double[4][keys.size()];
    for (int i = 0; i < keys.size(); i++) {
      ms[0][i] = (c[i][0] - completeStart[i]) / 1e6;
      ms[1][i] = (c[i][1] - c[i][0]) / 1e6;
      ms[2][i] = (c[i][2] - c[i][1]) / 1e6;
      ms[3][i] = (succeeded.at(uids.get(i)) - c[i][2]) / 1e6;
    }
    putPercentiles(prefix + "complete.received", ms[0]);
    putPercentiles(prefix + "creceived.started", ms[1]);
    putPercentiles(prefix + "cstarted.finished", ms[2]);
    putPercentiles(prefix + "cfinished.succeeded", ms[3]);
  }

  private static double[] latencies(List<String> keys, long[] start, Marks marks) {
    double[] ms = new double[keys.size()];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = (marks.at(keys.get(i)) - start[i]) / 1e6;
    }
    return ms;
  }

  private void putPercentiles(String key, double[] ms) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    put(key + ".p50", fmt(percentile(sorted, 50)));
    put(key + ".p99", fmt(percentile(sorted, 99)));
    put(key + ".max", fmt(sorted[sorted.length - 1]));
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private void putRequests(String key, RequestCounter.Requests requests, int per) {
    put(key + ".reads", requests.reads());
    put(key + ".writes", requests.writes());
    put(key + ".watches", requests.watches());
    put(key + ".per", per);
    put(key + ".detail", requests.describe());
  }

  private void put(String key, Object value) {
    out.setProperty(key, String.valueOf(value));
  }

  private void progress(String message) {
    System.out.printf(Locale.ROOT, "[bench N=%d %s] %s%n", n,
        Instant.now().truncatedTo(ChronoUnit.SECONDS), message);
  }

  private static String ms(long nanos) {
    return fmt(nanos / 1e6);
  }

  private static String sec(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
  }

  private static String mib(long bytes) {
    return fmt(bytes / 1048576.0);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private void putCpu(String key, Cpu cpu, int per) {
    put(key + ".operator.ms", fmt(cpu.operator() / 1e6 / per));
    put(key + ".harness.ms", fmt(cpu.harness() / 1e6 / per));
    put(key + ".apiserver.ms", fmt(cpu.apiServer() / 1e6 / per));
    put(key + ".etcd.ms", fmt(cpu.etcd() / 1e6 / per));
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** First time each key reached a state, and waiting for a set of keys to get there. */
  static final class Marks {
    /** Whether whatever should mark keys is still there to do it; waits end early if not. */
    static volatile java.util.function.BooleanSupplier alive = () -> true;
    private final String what;
    private final Map<String, Long> at = new ConcurrentHashMap<>();
    private volatile String failure;

    Marks(String what) {
      this.what = what;
    }

    void mark(String key, long nanos) {
      if (at.putIfAbsent(key, nanos) == null) {
        synchronized (this) {
          notifyAll();
        }
      }
    }

    synchronized void fail(String why) {
      failure = why;
      notifyAll();
    }

    long at(String key) {
      return at.get(key);
    }

    long latest(Collection<String> keys) {
      return keys.stream().mapToLong(this::at).max().orElseThrow();
    }

    /** Waits for watch events (notified by {@link #mark}) until every key has one. */
    synchronized void await(Collection<String> keys, Duration timeout)
        throws InterruptedException, TimeoutException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        if (failure != null) {
          throw new IllegalStateException(what + ": watch closed: " + failure);
        }
        long missing = keys.stream().filter(k -> !at.containsKey(k)).count();
        if (missing == 0) {
          return;
        }
        if (!alive.getAsBoolean()) {
          throw new IllegalStateException(what + ": " + missing + " of " + keys.size()
              + " still missing, and the operator is gone");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException(what + ": " + missing + " of " + keys.size()
              + " still missing after " + timeout.toSeconds() + " s");
        }
        // Woken by each mark; the slice bounds how late a dead operator is noticed.
        wait(Math.max(1, Math.min(1000, left / 1_000_000)));
      }
    }
  }

  /** A watcher that timestamps each event on arrival and fails the waiters if it closes. */
  abstract static class Handler<T extends HasMetadata> implements Watcher<T> {
    private final Marks[] marks;

    Handler(Marks... marks) {
      this.marks = marks;
    }

    abstract void on(Action action, T resource, long at);

    @Override
    public void eventReceived(Action action, T resource) {
      on(action, resource, System.nanoTime());
    }

    @Override
    public void onClose(WatcherException cause) {
      for (Marks m : marks) {
        m.fail(cause.getMessage());
      }
    }
  }

  /** CPU time so far of the operator's JVM, this JVM, and the kube-apiserver and etcd. */
  record Cpu(long operator, long harness, long apiServer, long etcd) {

    static Cpu now(OperatorJvm operatorJvm) {
      long harness = ((com.sun.management.OperatingSystemMXBean) ManagementFactory
          .getOperatingSystemMXBean()).getProcessCpuTime();
      return new Cpu(operatorJvm == null ? 0 : operatorJvm.cpuNanos(), harness,
          child("kube-apiserver"), child("etcd"));
    }

    private static long child(String binary) {
      return ProcessHandle.current().descendants()
          .filter(p -> p.info().command().map(c -> c.endsWith("/" + binary)).orElse(false))
          .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
          .sum();
    }

    Cpu minus(Cpu earlier) {
      return new Cpu(operator - earlier.operator, harness - earlier.harness,
          apiServer - earlier.apiServer, etcd - earlier.etcd);
    }
  }
}
