package io.dhcpshield.enforcement;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.enforcement.kernel.BypassCheck;
import io.dhcpshield.enforcement.kernel.InstallReport;
import io.dhcpshield.enforcement.kernel.KernelState;
import io.dhcpshield.enforcement.kernel.NftResult;
import io.dhcpshield.enforcement.kernel.Nftables;
import io.dhcpshield.enforcement.kernel.QueueCapability;
import io.dhcpshield.enforcement.kernel.RulesetInstaller;
import io.dhcpshield.enforcement.ruleset.ProfileValidationException;
import io.dhcpshield.enforcement.ruleset.QueueMode;
import io.dhcpshield.enforcement.ruleset.RulesetBuilder;
import io.dhcpshield.enforcement.ruleset.RulesetJson;
import io.dhcpshield.enforcement.ruleset.ThrottlingProfile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Command-line entry to the kernel side (run it inside a namespace with {@code ip netns exec}):
 * {@code probe | render [PROFILE] [native|xt] | install [PROFILE] [auto|native|xt] | state [--no-counts] | remove |
 * selftest-bypass}. PROFILE is
 * {@code low|medium|strict} or a profile JSON file. Prints JSON; exit 0 on success, 1 on failure, 2 on usage.
 */
public final class EnforcementTool {
    private static final ObjectMapper JSON = RulesetJson.MAPPER;

    private EnforcementTool() {}

    public static void main(String[] args) throws IOException {
        String cmd = args.length > 0 ? args[0] : "";
        int rc;
        try {
            rc = switch (cmd) {
                case "probe" -> probe();
                case "render" -> render(arg(args, 1, "medium"), arg(args, 2, "native"));
                case "install" -> install(arg(args, 1, "medium"), arg(args, 2, "auto"));
                case "state" -> state(args.length > 1 && args[1].equals("--no-counts"));
                case "remove" -> remove();
                case "selftest-bypass" -> selftestBypass();
                default -> {
                    System.err.println("usage: probe | render [PROFILE] [native|xt] | install [PROFILE] [auto|native|xt] | state [--no-counts] | remove | selftest-bypass");
                    yield 2;
                }
            };
        } catch (ProfileValidationException e) {
            System.err.println(e.getMessage());
            rc = 1;
        }
        System.exit(rc);
    }

    static String arg(String[] a, int i, String dflt) { return a.length > i ? a[i] : dflt; }

    /** {@code low|medium|strict} or a path to a profile JSON file. */
    public static ThrottlingProfile loadProfile(String spec) throws IOException {
        return switch (spec) {
            case "low", "medium", "strict" -> ThrottlingProfile.dualstack(spec);
            default -> JSON.readValue(Path.of(spec).toFile(), ThrottlingProfile.class);
        };
    }

    static QueueMode mode(String s) {
        return switch (s) {
            case "auto" -> null;
            case "native" -> QueueMode.NATIVE_NFT;
            case "xt" -> QueueMode.XT_COMPAT;
            default -> throw new IllegalArgumentException("mode must be auto, native or xt: " + s);
        };
    }

    private static int probe() throws IOException {
        try (Nftables nft = new Nftables()) {
            QueueCapability.Probe p = QueueCapability.probe(nft);
            System.out.println(JSON.writeValueAsString(java.util.Map.of("queue_mode", p.mode().label(), "probe", p.kernelAnswer())));
            return 0;
        }
    }

    private static int render(String profile, String mode) throws IOException {
        QueueMode m = mode(mode);
        System.out.print(RulesetJson.pretty(RulesetJson.export(RulesetBuilder.build(loadProfile(profile),
                m == null ? QueueMode.NATIVE_NFT : m))));
        return 0;
    }

    private static int install(String profile, String mode) throws IOException {
        ThrottlingProfile p = loadProfile(profile);
        try (Nftables nft = new Nftables()) {
            InstallReport r = new RulesetInstaller(nft).install(p, mode(mode));
            System.out.println(JSON.writeValueAsString(r));
            if (!r.ok()) System.err.println("install failed at " + r.stage() + ": " + r.error());
            return r.ok() ? 0 : 1;
        }
    }

    private static int state(boolean noCounts) throws IOException {
        try (Nftables nft = new Nftables()) {
            System.out.println(JSON.writeValueAsString(KernelState.read(nft, !noCounts)));
            return 0;
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }

    /**
     * The kernel side of {@code dpictl selftest bypass}: exit 0 when the ruleset is fail-open (queue rules all bypass);
     * the JSON names the queues a process is bound to. The DHCP exchange itself is the caller's (the lab's) part.
     */
    private static int selftestBypass() throws IOException {
        try (Nftables nft = new Nftables()) {
            BypassCheck c = BypassCheck.run(nft);
            System.out.println(JSON.writeValueAsString(c));
            c.problems().forEach(System.err::println);
            return c.failOpen() ? 0 : 1;
        }
    }

    private static int remove() {
        try (Nftables nft = new Nftables()) {
            NftResult r = new RulesetInstaller(nft).remove();
            if (!r.ok()) System.err.println(r.error());
            return r.ok() ? 0 : 1;
        }
    }
}
