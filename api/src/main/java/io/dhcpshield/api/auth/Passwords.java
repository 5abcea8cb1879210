package io.dhcpshield.api.auth;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import java.security.SecureRandom;

/**
 * Password hashing with Argon2id at OWASP's parameters (19 MiB, 2 iterations, parallelism 1, 16-byte salt,
 * 32-byte hash), through Spring Security's encoder over Bouncy Castle. Verification of an unknown user still costs
 * one hash, so response time does not reveal which usernames exist.
 */
public final class Passwords {

    /** Longest password accepted (Argon2 takes any length; this bounds the work a request can cause). */
    public static final int MAX_LENGTH = 256;
    public static final int MIN_LENGTH = 10;

    private static final Argon2PasswordEncoder ENCODER = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    private static final String DUMMY = ENCODER.encode("not a password of anyone");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private Passwords() {
    }

    public static String hash(String password) {
        return ENCODER.encode(password);
    }

    /** True when {@code password} matches {@code hash}; a null hash (no such user) costs the same and fails. */
    public static boolean verify(String password, String hash) {
        if (hash == null || hash.isEmpty()) {
            ENCODER.matches(password, DUMMY);
            return false;
        }
        try {
            return ENCODER.matches(password, hash);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A policy check for new passwords; the message says what is wrong. */
    public static String problem(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "a password has at least " + MIN_LENGTH + " characters";
        }
        if (password.length() > MAX_LENGTH) {
            return "a password has at most " + MAX_LENGTH + " characters";
        }
        return null;
    }

    /** A random password of {@code length} unambiguous letters and digits. */
    public static String generate(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }
}
