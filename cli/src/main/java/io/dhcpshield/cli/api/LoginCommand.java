package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** {@code dpictl login}: gets tokens and keeps them in the session file (0600). */
@Command(name = "login", description = "Log in to the API and keep the session for the other commands.")
public final class LoginCommand extends ApiCommand {

    @Option(names = {"-u", "--user"}, paramLabel = "NAME", description = "user name (default: $USER)")
    String user;

    @Option(names = "--password-stdin", description = "read the password from the first line of stdin")
    boolean passwordStdin;

    @Override
    int run(ApiClient api) throws Exception {
        String name = user != null ? user : System.getProperty("user.name");
        String password;
        if (passwordStdin) {
            password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } else {
            Console c = System.console();
            if (c == null) {
                throw new IllegalArgumentException("no terminal to ask the password on: use --password-stdin");
            }
            char[] p = c.readPassword("password for %s at %s: ", name, api.api());
            password = p == null ? "" : new String(p);
        }
        JsonNode t = api.anonymous("POST", "/api/v1/auth/login", ApiClient.JSON.createObjectNode()
                .put("username", name).put("password", password == null ? "" : password));
        new Session(api.api(), name, t.path("access_token").asText(), t.path("refresh_token").asText()).save();
        if (json) {
            print(ApiClient.JSON.createObjectNode().put("user", name).put("api", api.api())
                    .put("session", Session.file().toString()));
        } else {
            out.println("logged in as " + name + " at " + api.api() + " (session in " + Session.file() + ")");
        }
        return 0;
    }
}
