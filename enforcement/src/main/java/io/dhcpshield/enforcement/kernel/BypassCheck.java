package io.dhcpshield.enforcement.kernel;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dhcpshield.enforcement.ruleset.Ruleset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel half of seed 003's bypass self-test ({@code dpictl selftest bypass}): the table is installed, every
 * queueing rule carries the bypass flag (so an unbound queue passes packets instead of dropping them), and whether
 * any process is bound to those queues now. With none bound, a DHCP exchange that completes proves fail-open.
 */
public record BypassCheck(@JsonProperty("table_installed") boolean tableInstalled,
                          @JsonProperty("queue_mode") String queueMode,
                          @JsonProperty("queue_rules") int queueRules,
                          @JsonProperty("queue_rules_without_bypass") int withoutBypass,
                          @JsonProperty("bound_queues") List<Integer> boundQueues,
                          @JsonProperty("problems") List<String> problems) {

    /** True when the ruleset is fail-open: installed, queueing, and every queue rule bypasses. */
    public boolean failOpen() { return problems.isEmpty(); }

    public static BypassCheck run(Nftables nft) {
        List<String> problems = new ArrayList<>();
        NftResult table = nft.run("list table " + Ruleset.FAMILY + " " + Ruleset.TABLE);
        boolean installed = table.ok();
        if (!installed) problems.add("inet " + Ruleset.TABLE + " is not installed: " + table.error());
        int rules = 0;
        int noBypass = 0;
        String mode;
        if (XtQueueRules.installed()) {
            mode = "xt-compat";
            for (String fam : List.of("iptables-save", "ip6tables-save")) {
                for (String line : XtQueueRules.exec(List.of(fam, "-t", "mangle"), "").out().split("\n")) {
                    if (!line.contains("-j NFQUEUE")) continue;
                    rules++;
                    if (!line.contains("--queue-bypass")) noBypass++;
                }
            }
        } else {
            mode = "native-nft";
            Matcher m = Pattern.compile("\"queue\":\\s*\\{[^}]*\\}").matcher(table.output());
            while (m.find()) {
                rules++;
                if (!m.group().contains("bypass")) noBypass++;
            }
        }
        if (rules == 0) problems.add("no queueing rule: nothing is inspected");
        if (noBypass > 0) problems.add(noBypass + " queueing rule(s) without bypass: DHCP would stop with the processor");
        return new BypassCheck(installed, mode, rules, noBypass, readBoundQueues(), problems);
    }

    /** Queue numbers with a bound listener, from {@code /proc/net/netfilter/nfnetlink_queue} of this namespace. */
    static List<Integer> readBoundQueues() {
        List<Integer> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/netfilter/nfnetlink_queue"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 0 && !f[0].isEmpty()) out.add(Integer.parseInt(f[0]));
            }
        } catch (IOException | NumberFormatException e) {
            // No nfnetlink_queue module loaded: nothing can be bound.
        }
        return out;
    }
}
