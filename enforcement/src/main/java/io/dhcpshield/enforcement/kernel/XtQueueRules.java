package io.dhcpshield.enforcement.kernel;

import io.dhcpshield.enforcement.ruleset.RulesetBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The queueing step where the kernel has no nft_queue: the xt NFQUEUE target (through iptables-nft / nft_compat)
 * in our own mangle chains {@code DHCP_SHIELD_QUEUE_IN} / {@code _OUT}, for IPv4 and IPv6, with --queue-bypass
 * (fail-open) and --queue-cpu-fanout. Each family is one iptables-restore --noflush commit.
 */
public final class XtQueueRules {
    public static final String CHAIN_IN = "DHCP_SHIELD_QUEUE_IN";
    public static final String CHAIN_OUT = "DHCP_SHIELD_QUEUE_OUT";
    private static final List<String> FAMILIES = List.of("iptables", "ip6tables");

    private XtQueueRules() {}

    /**
     * The iptables-restore input for one family: flush our chains, then in each an NFQUEUE rule for the DHCP ports
     * and one for the re-injection ports on the loopback only (where the collector's copies travel).
     */
    public static String restoreInput(int inboundQueues, int outboundQueues) {
        String dhcp = ports(RulesetBuilder.DHCP_PORTS);
        String mirrored = ports(RulesetBuilder.MIRRORED_PORTS);
        String lo = RulesetBuilder.LOOPBACK;
        return "*mangle\n"
                + ":" + CHAIN_IN + " - [0:0]\n"
                + ":" + CHAIN_OUT + " - [0:0]\n"
                + "-F " + CHAIN_IN + "\n"
                + "-F " + CHAIN_OUT + "\n"
                + "-A " + CHAIN_IN + " -p udp -m multiport --dports " + dhcp + " " + target(inboundQueues) + "\n"
                + "-A " + CHAIN_IN + " -i " + lo + " -p udp -m multiport --dports " + mirrored + " "
                + target(inboundQueues) + "\n"
                + "-A " + CHAIN_OUT + " -p udp -m multiport --dports " + dhcp + " " + target(outboundQueues) + "\n"
                + "-A " + CHAIN_OUT + " -o " + lo + " -p udp -m multiport --dports " + mirrored + " "
                + target(outboundQueues) + "\n"
                + "COMMIT\n";
    }

    private static String ports(long[] ports) {
        return Arrays.stream(ports).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    static String target(int queues) {
        String q = queues == 1 ? "--queue-num 1" : "--queue-balance 1:" + queues + " --queue-cpu-fanout";
        return "-j NFQUEUE " + q + " --queue-bypass";
    }

    /** Installs (or refreshes) both families; returns an error text, empty on success. */
    public static String install(int inboundQueues, int outboundQueues) {
        StringBuilder errors = new StringBuilder();
        for (String fam : FAMILIES) {
            Exec r = exec(List.of(fam + "-restore", "--noflush"), restoreInput(inboundQueues, outboundQueues));
            if (r.rc != 0) { errors.append(fam).append("-restore: ").append(r.out.strip()).append('\n'); continue; }
            ensureJump(fam, "PREROUTING", CHAIN_IN, errors);
            ensureJump(fam, "OUTPUT", CHAIN_OUT, errors);
        }
        return errors.toString().strip();
    }

    /** Removes our jumps and chains (nothing else in mangle). */
    public static void remove() {
        for (String fam : FAMILIES) {
            for (String[] hc : new String[][] {{"PREROUTING", CHAIN_IN}, {"OUTPUT", CHAIN_OUT}}) {
                while (exec(List.of(fam, "-w", "-t", "mangle", "-D", hc[0], "-p", "udp", "-j", hc[1]), "").rc == 0) {
                    // delete every copy
                }
                exec(List.of(fam, "-w", "-t", "mangle", "-F", hc[1]), "");
                exec(List.of(fam, "-w", "-t", "mangle", "-X", hc[1]), "");
            }
        }
    }

    /** True when both families have our two chains with an NFQUEUE rule and the jumps to them. */
    public static boolean installed() {
        for (String fam : FAMILIES) {
            Exec r = exec(List.of(fam + "-save", "-t", "mangle"), "");
            if (r.rc != 0 || !r.out.contains("-A PREROUTING -p udp -j " + CHAIN_IN)
                    || !r.out.contains("-A OUTPUT -p udp -j " + CHAIN_OUT) || !r.out.contains("NFQUEUE")) return false;
        }
        return true;
    }

    private static void ensureJump(String fam, String hook, String chain, StringBuilder errors) {
        List<String> rule = List.of("-p", "udp", "-j", chain);
        if (exec(cmd(fam, "-C", hook, rule), "").rc == 0) return;
        Exec r = exec(cmd(fam, "-A", hook, rule), "");
        if (r.rc != 0) errors.append(fam).append(" -A ").append(hook).append(": ").append(r.out.strip()).append('\n');
    }

    private static List<String> cmd(String fam, String op, String hook, List<String> rule) {
        List<String> c = new ArrayList<>(List.of(fam, "-w", "-t", "mangle", op, hook));
        c.addAll(rule);
        return c;
    }

    record Exec(int rc, String out) {}

    static Exec exec(List<String> command, String stdin) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Exec(p.waitFor(), out);
        } catch (IOException e) {
            return new Exec(127, command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exec(130, "interrupted");
        }
    }
}
