package io.dhcpshield.processor;

import io.dhcpshield.automation.rules.RuleStore;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.enforcement.firewall.FirewallManager;
import io.dhcpshield.enforcement.kernel.Nftables;
import io.dhcpshield.enforcement.kernel.QueueCapability;
import io.dhcpshield.enforcement.ruleset.QueueMode;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.ClickHouseConfig;
import io.dhcpshield.storage.ClickHouseRulesetStore;
import io.dhcpshield.storage.ClickHouseStorage;
import io.dhcpshield.storage.Unreachable;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code dhcp-processor --init-database}: what the daemon does to a fresh database at its first start, once, without
 * starting anything else: the schema migrations, the shipped throttling profiles as stored rulesets (the configured
 * one active) and the seed automation rules. Each seed is written only into a table that never held a row, so running
 * it again (every package upgrade does) changes nothing the operator made. The notification routes are left to the
 * daemon's first start: which ones it seeds depends on the sinks configured then (alarms.vector). Nothing
 * is applied to the kernel: the rulesets are rendered for the queue mode a dry-run probe reports (nothing committed),
 * or the one {@code enforcement.queue_mode} forces. The package's postinst runs it when ClickHouse answers.
 */
final class DatabaseInit {

    /** Exit status when ClickHouse does not answer within the probe timeout (the postinst says so and goes on). */
    static final int UNREACHABLE = 3;
    static final String ACTOR = "system:install";

    private DatabaseInit() {
    }

    static int run(ProcessorConfig cfg, Duration probeTimeout, PrintStream out, PrintStream err) {
        ClickHouseConfig ch = cfg.clickhouse().toClickHouseConfig();
        String where = "ClickHouse at " + ch.endpoint();
        // A short first contact: an absent server is the common case in a fresh install, and it must not stall it.
        try (ClickHouseClient probe = new ClickHouseClient(ch.withRequestTimeout(probeTimeout))) {
            probe.createDatabaseIfMissing();
        } catch (ClickHouseClient.ServerRefused e) {
            // It answered; the migrations below say whether the database is usable.
        } catch (IOException e) {
            String why = e instanceof java.net.ConnectException ? "connection refused"
                    : e instanceof java.net.http.HttpTimeoutException ? "no answer within " + probeTimeout.toSeconds()
                    + " s" : Unreachable.reason(e).orElse(e.toString());
            err.println("dhcp-processor: " + where + " is not reachable (" + why + "); the database is not "
                    + "initialised");
            return UNREACHABLE;
        }
        // The storage comes with an event writer; it gets no events here, and the completed fan-out lets it close.
        EventFanout<DhcpEvent> noEvents = new EventFanout<>();
        ClickHouseStorage st = null;
        try {
            st = ClickHouseStorage.start(ch, cfg.writerConfig(), noEvents).block(Duration.ofMinutes(5));
            ClickHouseClient client = st.client();
            out.println("dhcp-processor: " + where + ", database " + ch.database() + ": schema migrated");
            QueueMode mode = queueMode(cfg.enforcement().queueMode(), err);
            if (mode != null) {
                int n = FirewallManager.seed(new ClickHouseRulesetStore(client), RulesetService.seeds(
                        cfg.enforcement().profile(), cfg.nfqueue().queueCount(), mode), Time.SYSTEM, ACTOR);
                out.println("dhcp-processor: firewall rulesets: " + (n == 0 ? "already there, kept"
                        : n + " shipped profiles stored (" + mode.label() + "), " + cfg.enforcement().profile()
                        + " active"));
            }
            int rules = new RuleStore(client, Time.SYSTEM).seedIfEmpty().blockOptional().orElse(0);
            out.println("dhcp-processor: automation rules: " + (rules == 0 ? "already there, kept"
                    : rules + " seed rules stored"));
            return 0;
        } catch (RuntimeException | IOException e) {
            err.println("dhcp-processor: initialising the database at " + ch.endpoint() + " failed: " + e.getMessage());
            return 1;
        } finally {
            noEvents.complete();
            if (st != null) {
                st.close();
            }
        }
    }

    /** The configured queue mode, or the kernel's answer to a dry run; null when the kernel cannot be asked. */
    private static QueueMode queueMode(String configured, PrintStream err) {
        switch (configured) {
            case "native":
                return QueueMode.NATIVE_NFT;
            case "xt":
                return QueueMode.XT_COMPAT;
            default:
                try (Nftables nft = new Nftables()) {
                    return QueueCapability.probe(nft).mode();
                } catch (RuntimeException | LinkageError e) {
                    err.println("dhcp-processor: firewall rulesets not stored: the kernel's queue mode is unknown "
                            + "(libnftables: " + e.getMessage() + "); the daemon stores them at its first start");
                    return null;
                }
        }
    }
}
