package io.dhcpshield.enforcement.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import io.dhcpshield.enforcement.firewall.FirewallBatch.Command;
import io.dhcpshield.enforcement.firewall.FirewallBatch.Mode;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.kernel.Nftables;
import io.dhcpshield.enforcement.kernel.XtQueueRules;
import io.dhcpshield.enforcement.ruleset.Ruleset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel half of the Firewall Manager: validates rulesets with the kernel's own parser (a dry run of the exact
 * transaction Apply would commit), applies them in one transaction, and reads the running table back as a ruleset.
 * A failed dry run or commit leaves the running ruleset as it was.
 *
 * <p>libnftables reports a kernel refusal of JSON input without saying which command caused it ("Could not process
 * rule: No such file or directory"), so a failed dry run is located by dry-running ever shorter prefixes of the batch
 * (a binary search: ~9 dry runs for the ~320 commands of a shipped profile); a parse error names its command index
 * itself.
 */
public final class KernelFirewall implements FirewallManager.Kernel {

    private static final Pattern COMMAND_INDEX = Pattern.compile("Parsing command array at index (\\d+) failed");

    /** An object of a ruleset the kernel refused, and the kernel's words. */
    public record Located(int ruleset, int index, JsonNode object, String message) {
    }

    /**
     * What a dry run or an apply did. {@code stage}: done, dry-run, commit or xt-queue; the kernel's error verbatim.
     */
    public record Outcome(boolean ok, String stage, String kernelError, List<Located> errors, int commands,
                          double millis) {
        public Outcome {
            errors = List.copyOf(errors);
        }
    }

    private final Nftables nft;
    private final int inboundQueues;
    private final int queues;

    /** {@code inboundQueues}/{@code queues}: the xt queue rules' ranges when a ruleset has no native queue. */
    public KernelFirewall(Nftables nft, int inboundQueues, int queues) {
        this.nft = Objects.requireNonNull(nft, "nft");
        this.inboundQueues = inboundQueues;
        this.queues = queues;
    }

    /** The kernel's verdict on applying {@code docs} in {@code mode}, without changing anything. */
    @Override
    public Outcome validate(Mode mode, List<RulesetDocument> docs) {
        return dryRun(FirewallBatch.build(mode, docs), System.nanoTime());
    }

    private Outcome dryRun(List<Command> commands, long t0) {
        NftResult r = nft.run(FirewallBatch.text(commands), true);
        if (r.ok()) {
            return new Outcome(true, "done", "", List.of(), commands.size(), ms(t0));
        }
        return new Outcome(false, "dry-run", clean(r.error()), locate(commands, r.error()), commands.size(), ms(t0));
    }

    /**
     * Dry-runs then commits {@code docs} in {@code mode} as one transaction; afterwards the iptables-nft queue rules
     * follow the table: removed when it queues natively, installed when it does not.
     */
    @Override
    public Outcome apply(Mode mode, List<RulesetDocument> docs) {
        long t0 = System.nanoTime();
        List<Command> commands = FirewallBatch.build(mode, docs);
        Outcome dry = dryRun(commands, t0);
        if (!dry.ok()) {
            return dry;
        }
        NftResult r = nft.run(FirewallBatch.text(commands), false);
        if (!r.ok()) {
            return new Outcome(false, "commit", clean(r.error()), List.of(), commands.size(), ms(t0));
        }
        boolean nativeQueue;
        try {
            nativeQueue = snapshot().usesNativeQueue();
        } catch (RuntimeException e) {
            nativeQueue = docs.stream().anyMatch(RulesetDocument::usesNativeQueue);
        }
        if (nativeQueue) {
            XtQueueRules.remove();
        } else {
            String err = XtQueueRules.install(inboundQueues, queues);
            if (!err.isEmpty()) {
                return new Outcome(false, "xt-queue", err, List.of(), commands.size(), ms(t0));
            }
        }
        return new Outcome(true, "done", "", List.of(), commands.size(), ms(t0));
    }

    /** The running table as a ruleset (terse and stateless: no set elements, no counter values). */
    @Override
    public RulesetDocument snapshot() {
        return read();
    }

    /** The running table as a ruleset; throws with the kernel's text when it is missing. */
    public static RulesetDocument read() {
        try (Nftables lister = Nftables.terseStateless()) {
            NftResult r = lister.run("list table " + Ruleset.FAMILY + " " + Ruleset.TABLE);
            if (!r.ok()) {
                throw new IllegalStateException("list table inet " + Ruleset.TABLE + ": " + r.error().strip());
            }
            return RulesetDocument.parse(r.output());
        }
    }

    /** Finds the first command the kernel refuses (and its message). */
    private List<Located> locate(List<Command> commands, String error) {
        Matcher m = COMMAND_INDEX.matcher(error);
        if (m.find()) {
            int i = Integer.parseInt(m.group(1));
            return i < commands.size() ? List.of(located(commands.get(i), firstError(error))) : List.of();
        }
        // Smallest prefix the kernel refuses: its last command is the culprit.
        int lo = 0;
        int hi = commands.size() - 1;
        String lastError = error;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            NftResult r = nft.run(FirewallBatch.text(commands.subList(0, mid + 1)), true);
            if (r.ok()) {
                lo = mid + 1;
            } else {
                hi = mid;
                lastError = r.error();
            }
        }
        return List.of(located(commands.get(lo), firstError(lastError)));
    }

    private static Located located(Command c, String message) {
        if (c.item() == null) {
            return new Located(-1, -1, c.json(), message);
        }
        return new Located(c.ruleset(), c.item().sourceIndex(), c.item().json(), message);
    }

    /** The kernel's text without libnftables' "internal:0:0-0: " (a JSON batch has no line to point at). */
    static String clean(String error) {
        return error.replace("internal:0:0-0: ", "").strip();
    }

    /** "Error: Could not process rule: No such file or directory" out of libnftables' multi-line report. */
    static String firstError(String error) {
        List<String> lines = new ArrayList<>();
        for (String line : error.split("\n")) {
            int at = line.indexOf("Error: ");
            if (at >= 0) {
                lines.add(line.substring(at + "Error: ".length()).strip());
            }
        }
        return lines.isEmpty() ? error.strip() : String.join("; ", lines);
    }

    private static double ms(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e4) / 100.0;
    }
}
