package io.dhcpshield.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * The page arithmetic of every newest-first listing. The templates select rows whose key is at or below the cursor's
 * (<code>key &lt;= cursor</code>, ordered by key descending) and fetch {@code limit + cursor.seen()} of them; the
 * first rows are then the ones with the cursor's own key, already returned, and are skipped here.
 */
final class Keyset {

    /** One fetched row and its key. */
    record Row<T>(T value, long epochSecond, int micros, long tie) {
        boolean hasKeyOf(Cursor c) {
            return epochSecond == c.epochSecond() && micros == c.micros() && tie == c.tie();
        }
    }

    record Result<T>(List<T> items, Cursor next) {
    }

    private Keyset() {
    }

    /** How many rows the template should fetch for a page of {@code limit} after {@code c}. */
    static int fetch(Cursor c, int limit) {
        return limit + c.seen();
    }

    /** The page after {@code c} out of rows fetched with {@link #fetch}; {@code next} is null on the last page. */
    static <T> Result<T> page(List<Row<T>> rows, Cursor c, int limit) {
        int skipped = 0;
        while (skipped < rows.size() && skipped < c.seen() && rows.get(skipped).hasKeyOf(c)) {
            skipped++;
        }
        List<Row<T>> kept = rows.subList(skipped, Math.min(rows.size(), skipped + limit));
        List<T> items = new ArrayList<>(kept.size());
        for (Row<T> r : kept) {
            items.add(r.value());
        }
        if (kept.size() < limit) {
            return new Result<>(items, null);
        }
        Row<T> last = kept.get(kept.size() - 1);
        int run = 0;
        for (int i = kept.size() - 1; i >= 0 && sameKey(kept.get(i), last); i--) {
            run++;
        }
        if (run == kept.size() && last.hasKeyOf(c)) {
            run += skipped;   // the run of equal keys began on an earlier page
        }
        return new Result<>(items, new Cursor(last.epochSecond(), last.micros(), last.tie(), run));
    }

    private static boolean sameKey(Row<?> a, Row<?> b) {
        return a.epochSecond() == b.epochSecond() && a.micros() == b.micros() && a.tie() == b.tie();
    }
}
