package io.dhcpshield.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Walks a keyset listing to its end, as the API's caller would: each cursor through its text token and back. */
final class Pages {

    private Pages() {
    }

    /**
     * Every item of every page, in order.
     *
     * @param fetch the page after a cursor (null for the first page)
     */
    static <P, T> List<T> all(Function<Cursor, P> fetch, Function<P, List<T>> items, Function<P, Cursor> next) {
        List<T> out = new ArrayList<>();
        P page = fetch.apply(null);
        out.addAll(items.apply(page));
        while (next.apply(page) != null) {
            page = fetch.apply(Cursor.parse(next.apply(page).token()));
            out.addAll(items.apply(page));
            assertTrue(out.size() <= 10_000, "paging makes progress");
        }
        return out;
    }
}
