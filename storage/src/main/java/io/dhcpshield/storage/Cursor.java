package io.dhcpshield.storage;

import java.time.Instant;

/**
 * Where a newest-first listing (events, audit entries, actions) stopped: the key of the last row returned, (second,
 * microsecond, tie), and how many rows with exactly that key the listing has returned so far. The tie is a 64-bit
 * hash of the whole row, so rows that share a key are identical rows (duplicates a re-sent batch stored twice) and
 * the next page skips as many of them as were already returned: no row is skipped or repeated across pages, however
 * many share a second. Pass {@link #token()} to the caller and {@link #parse} it back.
 */
public record Cursor(long epochSecond, int micros, long tie, int seen) {

    /** Most rows with one key a cursor may say were returned (each is fetched again to be skipped). */
    static final int MAX_SEEN = 100_000;

    public Cursor {
        if (epochSecond < 0 || epochSecond > Arguments.MAX_EPOCH_SECOND || micros < 0 || micros > 999_999
                || seen < 0 || seen > MAX_SEEN) {
            throw new IllegalArgumentException("cursor is not one this storage returned: " + epochSecond + "."
                    + micros + "." + tie + "." + seen);
        }
    }

    /** The position above every row of a range ending (exclusively) at {@code to}: the last key of its second. */
    static Cursor first(Instant to) {
        return new Cursor(to.getEpochSecond(), 999_999, Long.MAX_VALUE, 0);
    }

    /** The cursor as text for an API response ({@code second.micros.tie.seen}). */
    public String token() {
        return epochSecond + "." + micros + "." + tie + "." + seen;
    }

    /** The cursor of a {@link #token()}; an {@link IllegalArgumentException} naming "cursor" when it is not one. */
    public static Cursor parse(String token) {
        Arguments.required(token, "cursor");
        String[] p = token.split("\\.", -1);
        if (p.length != 4) {
            throw new IllegalArgumentException("cursor is not one this storage returned: '" + token + "'");
        }
        try {
            return new Cursor(Long.parseLong(p[0]), Integer.parseInt(p[1]), Long.parseLong(p[2]),
                    Integer.parseInt(p[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cursor is not one this storage returned: '" + token + "'", e);
        }
    }
}
