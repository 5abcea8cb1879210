package io.dhcpshield.processor;

import io.dhcpshield.api.auth.Accounts;
import io.dhcpshield.api.auth.Passwords;
import io.dhcpshield.api.http.Role;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.AuditEntry;
import io.dhcpshield.storage.AuditLog;
import io.dhcpshield.storage.ClickHouseClient;
import io.dhcpshield.storage.Migrations;
import io.dhcpshield.storage.Revocation;
import io.dhcpshield.storage.StoredUser;
import io.dhcpshield.storage.TokenRevocations;
import io.dhcpshield.storage.UserStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code user-manager}: user administration from the appliance's shell (root), straight against the ClickHouse the
 * daemon's config.yaml names, so it works with the API down or every admin locked out. Every change is audited with
 * actor {@code user-manager:<os user>}, and a reset or disable revokes the user's tokens (the daemon picks the
 * revocation up within its reload interval).
 */
@Command(name = "user-manager", mixinStandardHelpOptions = true, version = "user-manager 0.1.0",
        description = "Create, reset, disable, enable and list DHCP Shield API users.",
        subcommands = {UserManager.Create.class, UserManager.ResetPassword.class, UserManager.Disable.class,
            UserManager.Enable.class, UserManager.ListUsers.class})
public final class UserManager implements Runnable {

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "/etc/dhcp-shield/config.yaml",
            description = "the daemon's config.yaml (its clickhouse section is used)", scope = CommandLine.ScopeType.INHERIT)
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** The stores of the configured ClickHouse (schema migrated first, as the daemon does). */
    record Stores(UserStore users, TokenRevocations revocations, AuditLog audit, ClickHouseClient client) {
    }

    Stores stores() throws Exception {
        ProcessorConfig cfg = Files.exists(config) ? ConfigLoader.load(config) : ProcessorConfig.defaults();
        ClickHouseClient client = new ClickHouseClient(cfg.clickhouse().toClickHouseConfig());
        try {
            client.createDatabaseIfMissing();
        } catch (java.io.IOException e) {
            // a user that may not create databases works with one that exists; the self-check says otherwise
        }
        client.selfCheck().block(Duration.ofSeconds(30));
        Migrations.apply(client).blockLast(Duration.ofMinutes(2));
        return new Stores(new UserStore(client, Time.SYSTEM), new TokenRevocations(client),
                new AuditLog(client, Duration.ofDays(3650)), client);
    }

    static String actor() {
        return "user-manager:" + System.getProperty("user.name");
    }

    static String password(boolean stdin, String prompt) throws Exception {
        String p;
        if (stdin) {
            p = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } else {
            Console c = System.console();
            if (c == null) {
                throw new IllegalArgumentException("no terminal: use --password-stdin, or --generate");
            }
            char[] a = c.readPassword("%s", prompt);
            char[] b = c.readPassword("again: ");
            if (a == null || b == null || !new String(a).equals(new String(b))) {
                throw new IllegalArgumentException("the passwords differ");
            }
            p = new String(a);
        }
        String problem = Passwords.problem(p);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return p;
    }

    static void revoke(Stores s, String username, String why) {
        Instant now = Instant.now();
        s.revocations().add(new Revocation(Revocation.Kind.USER, "", username, now, now.plus(Duration.ofDays(90)), why,
                actor())).block(Duration.ofSeconds(30));
    }

    static void audit(Stores s, String username, String action, String detail) {
        s.audit().write(new AuditEntry(Instant.now(), actor(), username, action, username, detail))
                .block(Duration.ofSeconds(30));
    }

    /** The shared failure handling: a clear line, exit 1. */
    abstract static class Sub implements Callable<Integer> {
        @CommandLine.ParentCommand
        UserManager parent;

        @Override
        public Integer call() {
            try {
                return run(parent.stores());
            } catch (IllegalArgumentException | ConfigLoader.ConfigException e) {
                System.err.println("user-manager: " + e.getMessage());
                return 2;
            } catch (Exception e) {
                System.err.println("user-manager: " + e.getMessage());
                return 1;
            }
        }

        abstract int run(Stores s) throws Exception;

        static StoredUser existing(Stores s, String name) {
            StoredUser u = s.users().find(name).block(Duration.ofSeconds(30));
            if (u == null) {
                throw new IllegalArgumentException("no user '" + name + "'");
            }
            return u;
        }
    }

    @Command(name = "create", description = "Create a user.")
    static final class Create extends Sub {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--role", required = true, description = "viewer, operator or admin") String role;
        @Option(names = "--password-stdin", description = "read the password from stdin") boolean stdin;
        @Option(names = "--generate", description = "generate a password and print it") boolean generate;

        @Override
        int run(Stores s) throws Exception {
            if (!Accounts.USERNAME.matcher(name).matches()) {
                throw new IllegalArgumentException("a name is 2-32 lower-case letters, digits, '.', '_', '-'");
            }
            Role r = Role.parse(role);
            if (s.users().find(name).block(Duration.ofSeconds(30)) != null) {
                throw new IllegalArgumentException("user '" + name + "' exists");
            }
            String p = generate ? Passwords.generate(20) : password(stdin, "password for " + name + ": ");
            s.users().put(new StoredUser(name, Passwords.hash(p), r.label(), false, Instant.now()))
                    .block(Duration.ofSeconds(30));
            audit(s, name, "user.create", "{\"role\":\"" + r.label() + "\"}");
            System.out.println("created " + name + " (" + r.label() + ")" + (generate ? "; password: " + p : ""));
            return 0;
        }
    }

    @Command(name = "reset-password", description = "Set a new password (ends the user's sessions).")
    static final class ResetPassword extends Sub {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Option(names = "--password-stdin") boolean stdin;
        @Option(names = "--generate", description = "generate a password and print it") boolean generate;

        @Override
        int run(Stores s) throws Exception {
            StoredUser u = existing(s, name);
            String p = generate ? Passwords.generate(20) : password(stdin, "new password for " + name + ": ");
            s.users().put(new StoredUser(u.username(), Passwords.hash(p), u.role(), u.disabled(), Instant.now()))
                    .block(Duration.ofSeconds(30));
            revoke(s, name, "password reset");
            audit(s, name, "user.update", "{\"password\":\"reset\"}");
            System.out.println("password of " + name + " reset" + (generate ? ": " + p : ""));
            return 0;
        }
    }

    @Command(name = "disable", description = "Disable a user (ends their sessions).")
    static final class Disable extends Sub {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        int run(Stores s) {
            StoredUser u = existing(s, name);
            s.users().put(new StoredUser(u.username(), u.passwordHash(), u.role(), true, Instant.now()))
                    .block(Duration.ofSeconds(30));
            revoke(s, name, "disabled");
            audit(s, name, "user.update", "{\"disabled\":true}");
            System.out.println(name + " disabled");
            return 0;
        }
    }

    @Command(name = "enable", description = "Enable a disabled user.")
    static final class Enable extends Sub {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        int run(Stores s) {
            StoredUser u = existing(s, name);
            s.users().put(new StoredUser(u.username(), u.passwordHash(), u.role(), false, Instant.now()))
                    .block(Duration.ofSeconds(30));
            audit(s, name, "user.update", "{\"disabled\":false}");
            System.out.println(name + " enabled");
            return 0;
        }
    }

    @Command(name = "list", description = "List users.")
    static final class ListUsers extends Sub {
        @Override
        int run(Stores s) {
            List<StoredUser> all = s.users().list().collectList().block(Duration.ofSeconds(30));
            for (StoredUser u : all) {
                System.out.printf("%-32s %-9s %s%n", u.username(), u.role(), u.disabled() ? "disabled" : "enabled");
            }
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new UserManager()).execute(args));
    }
}
