package io.stemcache.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Log events of one logger (and the loggers below it), captured while open, with their throwables' messages. */
public final class CapturedLogs implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level level;

    public CapturedLogs(String name) {
        logger = (Logger) LoggerFactory.getLogger(name);
        level = logger.getLevel();
        // Hazelcast's test jar ships a logback.xml with the root at ERROR: what is captured must be logged.
        logger.setLevel(Level.DEBUG);
        appender.start();
        logger.addAppender(appender);
    }

    public CapturedLogs(Class<?> source) {
        this(source.getName());
    }

    /** Every event as one text: level, message, and each throwable of its cause chain with its message. */
    public List<String> lines() {
        return List.copyOf(appender.list).stream().map(CapturedLogs::describe).toList();
    }

    private static String describe(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getLevel() + " " + event.getFormattedMessage());
        for (var cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            text.append(" | ").append(cause.getClassName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(level);
        appender.stop();
    }
}
