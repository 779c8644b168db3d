package dev.dbmigration.operator.install;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/**
 * What the operator logs at WARN and above while open, messages and the messages of their
 * exceptions' causes: how an operator without a permission shows it, since no status can.
 */
final class CapturedLog extends AbstractAppender implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final LoggerContext context;

  private CapturedLog() {
    super("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    context = (LoggerContext) LogManager.getContext(false);
  }

  static CapturedLog open() {
    CapturedLog log = new CapturedLog();
    log.start();
    Configuration configuration = log.context.getConfiguration();
    configuration.addAppender(log);
    configuration.getRootLogger().addAppender(log, Level.WARN, null);
    log.context.updateLoggers();
    return log;
  }

  @Override
  public void append(LogEvent event) {
    StringBuilder line = new StringBuilder(event.getLoggerName()).append(": ")
        .append(event.getMessage().getFormattedMessage());
    for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
      line.append(" | ").append(t.getMessage());
    }
    lines.add(line.toString());
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    Configuration configuration = context.getConfiguration();
    configuration.getRootLogger().removeAppender(getName());
    context.updateLoggers();
    stop();
  }
}
