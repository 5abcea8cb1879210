package io.dhcpshield.processor.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Values that must never reach the log (ClickHouse's password, API keys, tokens): registered once they are known
 * (config.yaml read), each occurrence in a log line, exception text included, is replaced by {@value #MASK}. A guard
 * behind the rule that code does not log secrets in the first place.
 */
public final class LogSecrets {

    static final String MASK = "****";
    /** Shorter values would mask ordinary words. */
    private static final int MIN_LENGTH = 4;
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();

    private LogSecrets() {
    }

    /** Masks {@code secret} in every later log line; null, blank or very short values are ignored. */
    public static void register(String secret) {
        if (secret != null && secret.strip().length() >= MIN_LENGTH && !SECRETS.contains(secret)) {
            SECRETS.add(secret);
        }
    }

    static String mask(String line) {
        String out = line;
        for (String s : SECRETS) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }
}
