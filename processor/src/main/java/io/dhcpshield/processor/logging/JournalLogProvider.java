package io.dhcpshield.processor.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The SLF4J binding of {@code dhcp-processor}, {@code dhcp-collector} and {@code dhcp-agent} (in place of
 * slf4j-simple): one line per event on stderr, journald's priority prefix under systemd, levels from config.yaml
 * changeable after loggers exist ({@link LogLevels}), secrets masked ({@link LogSecrets}).
 */
public final class JournalLogProvider implements SLF4JServiceProvider {

    /**
     * True when stderr goes to journald: systemd sets {@code JOURNAL_STREAM} for a unit whose output is the journal
     * (the daemon could compare it with stderr's device and inode; a service that redirects stderr elsewhere
     * clears it with {@code UnsetEnvironment=JOURNAL_STREAM}).
     */
    static final boolean JOURNAL = System.getenv("JOURNAL_STREAM") != null
            || Boolean.getBoolean("dhcpshield.log.journal");

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, JournalLogger::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }
}
