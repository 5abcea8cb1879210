package io.dhcpshield.processor.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.io.PrintStream;

/**
 * One logger of the daemon's SLF4J binding: every event is exactly one line on stderr (a newline inside a message is
 * escaped, an exception is folded into the same line: its chain of causes, and its stack frames when the logger is at
 * debug), with secrets masked ({@link LogSecrets}). Under systemd, where journald stamps the time and reads a
 * {@code <N>} syslog priority prefix, the line starts with that prefix; elsewhere it reads as slf4j-simple's did.
 */
final class JournalLogger extends LegacyAbstractLogger {

    private final String shortName;

    JournalLogger(String name) {
        this.name = name;
        int dot = name.lastIndexOf('.');
        this.shortName = dot >= 0 ? name.substring(dot + 1) : name;
    }

    @Override
    public boolean isTraceEnabled() {
        return LogLevels.enabled(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return LogLevels.enabled(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return LogLevels.enabled(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return LogLevels.enabled(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return LogLevels.enabled(name, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                               Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(pattern, args);
        PrintStream err = System.err;
        err.println(LogSecrets.mask(format(level, Thread.currentThread().getName(), message, throwable)));
    }

    String format(Level level, String thread, String message, Throwable throwable) {
        StringBuilder b = new StringBuilder(96 + (message != null ? message.length() : 4));
        if (JournalLogProvider.JOURNAL) {
            b.append('<').append(priority(level)).append(">[").append(thread).append("] ").append(level)
                    .append(' ').append(shortName).append(" - ");
        } else {
            b.append('[').append(thread).append("] ").append(level).append(' ').append(name).append(" - ");
        }
        oneLine(b, String.valueOf(message));
        if (throwable != null) {
            fold(b, throwable, LogLevels.enabled(name, Level.DEBUG));
        }
        return b.toString();
    }

    /** syslog priorities: err 3, warning 4, info 6, debug 7. */
    static int priority(Level level) {
        return switch (level) {
            case ERROR -> 3;
            case WARN -> 4;
            case INFO -> 6;
            case DEBUG, TRACE -> 7;
        };
    }

    /** The exception and its causes on the same line; with {@code frames} every stack frame too. */
    static void fold(StringBuilder b, Throwable t, boolean frames) {
        Throwable cur = t;
        int depth = 0;
        while (cur != null && depth++ < 10) {
            b.append(depth == 1 ? " | " : " | caused by: ");
            oneLine(b, cur.toString());
            if (frames) {
                for (StackTraceElement e : cur.getStackTrace()) {
                    b.append(" | at ").append(e);
                }
            }
            cur = cur.getCause() == cur ? null : cur.getCause();
        }
    }

    private static void oneLine(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c != '\r') {
                b.append(c);
            }
        }
    }
}
