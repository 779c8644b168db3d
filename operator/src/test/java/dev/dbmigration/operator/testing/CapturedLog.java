package dev.dbmigration.operator.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything the JVM logs through Log4j while open: the operator (dev.dbmigration), JOSDK and
 * fabric8, with their MDC and exceptions. Attached to the root logger configuration
 * programmatically, so the test's own log4j2-test.xml stays as it is; levels raised for the
 * capture are put back on {@link #close()}. Tests read it to see what no status can show (an
 * operator refused a write) and to scan everything logged for a secret.
 */
public final class CapturedLog implements AutoCloseable {

  /** The MDC key JOSDK sets to the namespace of the resource it reconciles. */
  public static final String MDC_NAMESPACE = "resource.namespace";

  private final List<LogEvent> events = new CopyOnWriteArrayList<>();
  private final Map<String, Level> restore = new LinkedHashMap<>();
  private final LoggerContext context;
  private final AbstractAppender appender;
  private final PatternLayout layout;

  private CapturedLog(Map<String, Level> levels) {
    context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    layout = PatternLayout.newBuilder().withConfiguration(config)
        .withPattern("%d{HH:mm:ss.SSS} %-5level [%t] %c %X - %msg%n%xThrowable")
        .build();
    appender = new AbstractAppender("captured-" + UUID.randomUUID(), null, layout, true,
        Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        events.add(event.toImmutable());
      }
    };
    appender.start();
    config.addAppender(appender);
    config.getRootLogger().addAppender(appender, Level.ALL, null);
    levels.forEach((logger, level) -> {
      LoggerConfig current = config.getLoggerConfig(logger);
      restore.put(logger, current.getLevel());
      Configurator.setLevel(logger, level);
    });
    context.updateLoggers();
  }

  /** Starts capturing; {@code levels} raises (or lowers) loggers for the capture's duration. */
  public static CapturedLog start(Map<String, Level> levels) {
    return new CapturedLog(levels);
  }

  /** Starts capturing at the levels the configuration already has. */
  public static CapturedLog start() {
    return new CapturedLog(Map.of());
  }

  public List<LogEvent> events() {
    return List.copyOf(events);
  }

  /** One event as a log file would hold it: message, MDC and the whole stack trace. */
  public String format(LogEvent event) {
    return layout.toSerializable(event);
  }

  /**
   * WARN and worse, one line each: logger, message and the messages of the exception's causes
   * (where a refusal by the API server stands, with the namespace it names).
   */
  public List<String> warnings() {
    List<String> lines = new ArrayList<>();
    for (LogEvent event : events) {
      if (!event.getLevel().isMoreSpecificThan(Level.WARN)) {
        continue;
      }
      StringBuilder line = new StringBuilder(String.valueOf(event.getLoggerName())).append(": ")
          .append(event.getMessage().getFormattedMessage());
      for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
        line.append(" | ").append(t.getMessage());
      }
      lines.add(line.toString());
    }
    return lines;
  }

  /** Every captured event formatted, split into lines. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (LogEvent event : events) {
      lines.addAll(List.of(format(event).split("\n", -1)));
    }
    return lines;
  }

  /** The messages of every exception logged, with their causes and suppressed ones. */
  public List<String> exceptionMessages() {
    List<String> messages = new ArrayList<>();
    for (LogEvent event : events) {
      collect(event.getThrown(), messages, 0);
    }
    return messages;
  }

  private static void collect(Throwable t, List<String> into, int depth) {
    if (t == null || depth > 32) {
      return;
    }
    into.add(t.getClass().getName() + ": " + t.getMessage());
    into.add(String.valueOf(t.getLocalizedMessage()));
    into.add(t.toString());
    for (Throwable suppressed : t.getSuppressed()) {
      collect(suppressed, into, depth + 1);
    }
    collect(t.getCause(), into, depth + 1);
  }

  /** One WARN-or-worse line of the operator: where, what, and the innermost exception's text. */
  public record Problem(String namespace, String level, String logger, String message, String cause) {

    /** The cause without the request line fabric8 puts in front of the server's message. */
    public String shortCause() {
      int at = cause.indexOf("Message: ");
      return at >= 0 ? cause.substring(at + "Message: ".length()) : cause;
    }

    @Override
    public String toString() {
      return level + " " + logger + " [" + namespace + "] " + message
          + (cause.isEmpty() ? "" : " <- " + cause);
    }
  }

  /**
   * WARN and worse from the operator's own code and from JOSDK that belong to {@code namespace}:
   * by JOSDK's MDC, or because the text names it.
   */
  public List<Problem> operatorProblems(String namespace) {
    List<Problem> problems = new ArrayList<>();
    for (LogEvent event : events) {
      if (!isOperatorProblem(event)) {
        continue;
      }
      String mdc = event.getContextData().getValue(MDC_NAMESPACE);
      if (namespace.equals(mdc) || event.getMessage().getFormattedMessage().contains(namespace)) {
        problems.add(problem(event));
      }
    }
    return problems;
  }

  /** Every operator problem of the capture, whichever namespace. */
  public List<Problem> allOperatorProblems() {
    return events.stream().filter(CapturedLog::isOperatorProblem).map(CapturedLog::problem)
        .toList();
  }

  /**
   * ERROR from anywhere, or WARN from the operator, JOSDK or fabric8's informers and watches: a
   * reconcile that threw, an informer that cannot read a resource, an Event that could not be
   * posted. fabric8's note that v1alpha1 is an unstable version is no problem.
   */
  public static boolean isOperatorProblem(LogEvent event) {
    String logger = event.getLoggerName() == null ? "" : event.getLoggerName();
    if (event.getMessage().getFormattedMessage().startsWith("The client is using resource type")) {
      return false;
    }
    if (event.getLevel().isMoreSpecificThan(Level.ERROR)) {
      return true;
    }
    return event.getLevel().isMoreSpecificThan(Level.WARN)
        && (logger.startsWith("dev.dbmigration") || logger.startsWith("io.javaoperatorsdk")
            || logger.startsWith("io.fabric8.kubernetes.client.informers")
            || logger.startsWith("io.fabric8.kubernetes.client.dsl.internal"));
  }

  /** Each part cut short: a hostile resource can make a log message of megabytes. */
  public static Problem problem(LogEvent event) {
    String logger = event.getLoggerName() == null ? "" : event.getLoggerName();
    Throwable root = event.getThrown();
    while (root != null && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String cause = "";
    if (root != null) {
      String message = String.valueOf(root.getMessage());
      int nl = message.indexOf('\n');
      cause = root.getClass().getSimpleName() + ": " + cut(nl < 0 ? message : message.substring(0, nl), 400);
    }
    Object namespace = event.getContextData().getValue(MDC_NAMESPACE);
    return new Problem(String.valueOf(namespace),
        event.getLevel().toString(), logger.substring(logger.lastIndexOf('.') + 1),
        cut(event.getMessage().getFormattedMessage(), 200), cause);
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }

  @Override
  public void close() {
    Configuration config = context.getConfiguration();
    config.getRootLogger().removeAppender(appender.getName());
    restore.forEach((logger, level) -> Configurator.setLevel(logger, level));
    context.updateLoggers();
    appender.stop();
  }
}
