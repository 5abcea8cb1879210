package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.Direction;
import io.dhcpshield.core.event.Origin;
import io.dhcpshield.core.mark.MarkSource;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.core.net.MacAddress;
import io.r2dbc.spi.Row;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static io.dhcpshield.storage.HistoryQueries.num;
import static io.dhcpshield.storage.HistoryQueries.str;

/**
 * The inverse of {@link EventRows}: a {@code dhcp_events} row, as the {@code history.events} template selects it,
 * back into the {@link DhcpEvent} it was written from (every field; absent strings, addresses and MAC null again).
 * Addresses come as hex of the stored 16 bytes and the errors as hex items joined by commas, so no text format or
 * the driver's {@code Array(String)} parsing stands between the stored bytes and the event.
 */
final class StoredEvents {

    private static final HexFormat HEX = HexFormat.of();
    private static final long NO_TRANSACTION_ID = 0xFFFF_FFFFL;   // -1 written as UInt32 (a DHCPv6 packet without one)

    private StoredEvents() {
    }

    /** The event of one selected row and its paging key (second, micros, row hash). */
    static Keyset.Row<DhcpEvent> row(Row row) {
        long second = num(row, 0);
        int micros = (int) num(row, 1);
        int family = (int) num(row, 5);
        long xid = num(row, 9);
        long mac = num(row, 12);
        long l2 = num(row, 34);
        DhcpEvent e = new DhcpEvent(second * 1_000_000L + micros, (int) num(row, 2), str(row, 3),
                Direction.valueOf(str(row, 4).toUpperCase(Locale.ROOT)), family, (int) num(row, 6),
                (int) num(row, 7), str(row, 8), family == 6 && xid == NO_TRANSACTION_ID ? -1 : xid, (int) num(row, 10),
                markSource(str(row, 11)), mac == 0 ? null : new MacAddress(mac), text(row, 13), text(row, 14),
                text(row, 15), text(row, 16), text(row, 17), text(row, 18), ip(row, 19), ip(row, 20), ip(row, 21),
                text(row, 22), text(row, 23), text(row, 24), (int) num(row, 25), ip(row, 26), ip(row, 27),
                text(row, 28), num(row, 29), ip(row, 30), text(row, 31), errors(str(row, 32)),
                l2 == 0 ? null : new MacAddress(l2));
        if (num(row, 35) == Origin.Input.TZSP.ordinal()) {
            long l2dst = num(row, 37);
            e = e.withOrigin(Origin.mirrored(str(row, 36), l2dst == 0 ? null : new MacAddress(l2dst)));
        }
        return new Keyset.Row<>(e, second, micros, num(row, 33));
    }

    static MarkSource markSource(String label) {
        for (MarkSource s : MarkSource.values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        return MarkSource.NONE;
    }

    private static String text(Row row, int i) {
        String s = str(row, i);
        return s.isEmpty() ? null : s;
    }

    private static IpAddress ip(Row row, int i) {
        String hex = str(row, i);
        return hex.length() == 32 ? Sql.unmapped(HEX.parseHex(hex)) : null;
    }

    private static List<String> errors(String joined) {
        if (joined.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String item : joined.split(",", -1)) {
            out.add(new String(HEX.parseHex(item), StandardCharsets.UTF_8));
        }
        return out;
    }
}
