package io.dhcpshield.processor;

import io.dhcpshield.processor.logging.LogLevels;
import io.dhcpshield.processor.logging.LogSecrets;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Applies config.yaml's {@code logging} section and registers every secret of the config to be masked in logs. */
final class DaemonLogging {

    private DaemonLogging() {
    }

    static void apply(ProcessorConfig c) {
        LogLevels.configure(c.logging().level(), c.logging().loggers());
        LogSecrets.register(c.clickhouse().password());
        var analysis = c.automation().analysis();
        LogSecrets.register(analysis.apiKey());
        if (!analysis.apiKeyFile().isBlank()) {
            try {
                LogSecrets.register(Files.readString(Path.of(analysis.apiKeyFile())).strip());
            } catch (IOException | RuntimeException e) {
                // The analysis service reports an unreadable key file itself.
            }
        }
        // Credentials written into a URL (https://user:secret@host/).
        Stream.of(c.clickhouse().endpoint(), c.vector().endpoint(), c.alarms().vector().url(), analysis.baseUrl())
                .forEach(DaemonLogging::registerUserInfo);
    }

    private static void registerUserInfo(String url) {
        try {
            String info = url == null ? null : URI.create(url).getRawUserInfo();
            if (info != null) {
                int colon = info.indexOf(':');
                LogSecrets.register(colon >= 0 ? info.substring(colon + 1) : info);
            }
        } catch (IllegalArgumentException e) {
            // Not a URL: validation reports it.
        }
    }
}
