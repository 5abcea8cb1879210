package io.dhcpshield.processor;

import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A minimal queueing rule for demos and tests, installed in the current network namespace with iptables-nft (this
 * kernel has no nft {@code queue} expression; the xt NFQUEUE target works). It sends DHCPv4 and DHCPv6 arriving in
 * prerouting to queues 1..N with {@code --queue-bypass} and CPU fanout, in a chain of its own
 * ({@code DHCP_SHIELD}) so removing it touches nothing else. The full {@code inet dhcp_inspection} ruleset belongs
 * to the enforcement module.
 */
final class QueueRule implements Service {

    private static final Logger log = LoggerFactory.getLogger(QueueRule.class);
    static final String CHAIN = "DHCP_SHIELD";

    private final int queueCount;
    private boolean installed;

    QueueRule(int queueCount) {
        this.queueCount = queueCount;
    }

    @Override
    public String name() {
        return "queue-rule";
    }

    @Override
    public void start() {
        install();
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public Readiness readiness() {
        return (installed ? Readiness.up() : Readiness.notReady("not installed")).with("queues", queueCount);
    }

    void install() {
        remove(); // a leftover from a killed run
        List<String> target = new ArrayList<>(List.of("-j", "NFQUEUE"));
        if (queueCount == 1) {
            target.addAll(List.of("--queue-num", "1"));
        } else {
            target.addAll(List.of("--queue-balance", "1:" + queueCount, "--queue-cpu-fanout"));
        }
        target.add("--queue-bypass");
        for (String tool : List.of("iptables", "ip6tables")) {
            String ports = tool.equals("iptables") ? "67,68" : "546,547";
            run(tool, "-t", "mangle", "-N", CHAIN);
            List<String> rule = new ArrayList<>(List.of(tool, "-t", "mangle", "-A", CHAIN, "-p", "udp", "-m", "multiport",
                    "--dports", ports));
            rule.addAll(target);
            run(rule.toArray(String[]::new));
            run(tool, "-t", "mangle", "-I", "PREROUTING", "1", "-j", CHAIN);
        }
        installed = true;
        log.info("queue rule installed: iptables-nft mangle PREROUTING -> {} -> NFQUEUE {} (bypass, {})", CHAIN,
                queueCount == 1 ? "1" : "1:" + queueCount, queueCount == 1 ? "single queue" : "cpu fanout");
    }

    void remove() {
        for (String tool : List.of("iptables", "ip6tables")) {
            quietly(tool, "-t", "mangle", "-D", "PREROUTING", "-j", CHAIN);
            quietly(tool, "-t", "mangle", "-F", CHAIN);
            quietly(tool, "-t", "mangle", "-X", CHAIN);
        }
    }

    void close() {
        if (installed) {
            remove();
            installed = false;
            log.info("queue rule removed");
        }
    }

    private static void run(String... command) {
        Result r = exec(command);
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.exit + "): " + r.output.trim());
        }
    }

    private static void quietly(String... command) {
        exec(command);
    }

    private record Result(int exit, String output) {
    }

    private static Result exec(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
