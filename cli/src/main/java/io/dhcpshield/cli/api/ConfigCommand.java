package io.dhcpshield.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dpictl config get|set|reset}: Operational configuration through the API. */
@Command(name = "config", description = "Read and change Operational configuration (operational.* keys).",
        subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class, ConfigCommand.Reset.class})
public final class ConfigCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "get", description = "Every key, or one: value, where it comes from, default.")
    public static final class Get extends ApiCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "KEY")
        String key;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = api.get("/api/v1/config", null);
            boolean found = false;
            for (JsonNode k : r.path("keys")) {
                if (key != null && !key.equals(k.path("key").asText())) {
                    continue;
                }
                found = true;
                if (json) {
                    print(k);
                } else {
                    out.printf("%-52s %-8s (%s; default %s)%n", k.path("key").asText(), k.path("value").asText(),
                            k.path("source").asText(), k.path("default").asText());
                }
            }
            if (key != null && !found) {
                throw new IllegalArgumentException("no operational key '" + key + "'");
            }
            return 0;
        }
    }

    @Command(name = "set", description = "Set a key (applies at runtime; audited).")
    public static final class Set extends ApiCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE")
        String value;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode k = api.put("/api/v1/config/" + key, ApiClient.JSON.createObjectNode().put("value", value));
            if (json) {
                print(k);
            } else {
                out.println(k.path("key").asText() + " = " + k.path("value").asText() + " (" + k.path("source").asText()
                        + ")");
            }
            return 0;
        }
    }

    @Command(name = "reset", description = "Remove the database value: back to YAML or the default.")
    public static final class Reset extends ApiCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode k = api.delete("/api/v1/config/" + key);
            if (json) {
                print(k);
            } else {
                out.println(k.path("key").asText() + " = " + k.path("value").asText() + " (" + k.path("source").asText()
                        + ")");
            }
            return 0;
        }
    }
}
