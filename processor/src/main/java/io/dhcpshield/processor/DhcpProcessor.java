package io.dhcpshield.processor;

import io.dhcpshield.core.service.ServiceManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code dhcp-processor}: the appliance daemon. Runs until SIGTERM/SIGINT, then stops gracefully. */
@Command(name = "dhcp-processor", mixinStandardHelpOptions = true, version = "dhcp-processor 0.1.0",
        description = "Inspects DHCP over NFQUEUE: every packet gets ACCEPT and its mark; events fan out.")
public final class DhcpProcessor implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DhcpProcessor.class);

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "/etc/dhcp-shield/config.yaml",
            description = "config.yaml (default ${DEFAULT-VALUE}); missing file = compiled defaults")
    Path config;

    @Option(names = "--status-file", paramLabel = "FILE", description = "write all counters as JSON here periodically")
    Path statusFile;

    @Option(names = "--events-file", paramLabel = "FILE", description = "append every event as a JSON line here")
    Path eventsFile;

    @Option(names = "--install-queue-rule",
            description = "install (and remove at exit) a minimal iptables-nft NFQUEUE rule in this network namespace")
    boolean installQueueRule;

    @Option(names = "--passive", description = "run as dhcp-collector: mode passive with the TZSP collector "
            + "enabled, whatever config.yaml says (no NFQUEUE, no ruleset)")
    boolean passive;

    @Option(names = "--check-config", description = "validate the config file and exit")
    boolean checkConfig;

    @Option(names = "--init-database", description = "prepare ClickHouse (clickhouse.* of the config, whether or not "
            + "clickhouse.enabled is set) as the first start would: migrate the schema, store the shipped profiles "
            + "and the seed automation rules (only into empty tables); nothing is applied to the kernel (a dry run asks it for the queue mode). "
            + "Exits 0, or " + DatabaseInit.UNREACHABLE + " when ClickHouse does not answer within 5 s")
    boolean initDatabase;

    @Option(names = "--counting-subscriber", hidden = true,
            description = "benchmarks: attach one event subscriber that only counts what it receives")
    boolean countingSubscriber;

    @Option(names = "--bench-first-queue", hidden = true, defaultValue = "1",
            description = "benchmarks: read kernel queues N..N+queue_count-1 instead of 1..queue_count, so two"
                    + " builds can run side by side in one lab (bench/nfqueue's BENCH_VERSUS)")
    int firstQueue;

    @Option(names = "--test-stall-after", hidden = true, defaultValue = "-1",
            description = "test hook: stop demand on every queue after this many packets")
    long stallAfter;

    @Option(names = "--test-stall-ms", hidden = true, defaultValue = "0",
            description = "test hook: resume demand this many ms after stalling (0: never)")
    long stallMillis;

    @Override
    public Integer call() throws Exception {
        ProcessorConfig cfg;
        try {
            if (Files.exists(config)) {
                cfg = ConfigLoader.load(config);
            } else {
                log.warn("{} not found: running on compiled defaults", config);
                cfg = ProcessorConfig.defaults();
            }
            if (passive) {
                cfg = cfg.asPassive();
                ConfigLoader.validate(cfg, config + " with --passive");
            }
        } catch (ConfigLoader.ConfigException e) {
            System.err.println("dhcp-processor: " + e.getMessage());
            return 2;
        }
        DaemonLogging.apply(cfg);
        if (checkConfig) {
            System.out.println("dhcp-processor: " + config + " is valid");
            return 0;
        }
        if (initDatabase) {
            int code = DatabaseInit.run(cfg, java.time.Duration.ofSeconds(5), System.out, System.err);
            System.out.flush();
            System.exit(code); // the ClickHouse driver's idle worker threads would hold the JVM for seconds
        }
        ServiceManager daemon = Wiring.build(cfg, new Wiring.Options(statusFile, eventsFile, installQueueRule,
                new InspectionService.Hooks(countingSubscriber, stallAfter, stallMillis, firstQueue)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stopAll();
            log.info("dhcp-processor stopped");
            stopped.countDown();
            System.out.flush();
            System.err.flush();
            // A stop on SIGTERM is the normal way out: exit 0 rather than the JVM's 143 once everything is closed.
            Runtime.getRuntime().halt(0);
        }, "shutdown"));
        try {
            daemon.startAll();
        } catch (Exception e) {
            log.error("dhcp-processor failed to start: {}", e.toString());
            return 1;
        }
        log.info("dhcp-processor started: site '{}', drop_non_dhcp_packets={}, {} custom rule(s), services {}",
                cfg.siteId(), cfg.dropNonDhcpPackets(), cfg.rules().rules().size(),
                daemon.services().stream().map(s -> s.name()).toList());
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new DhcpProcessor()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
