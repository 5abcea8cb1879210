package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;

import java.io.IOException;
import java.util.List;

/** Where an {@link EventWriter} delivers its batches: encode once, then send (and re-send on retry) the bytes. */
public interface BatchSink {

    /** Short name for logs and counters, e.g. {@code clickhouse}. */
    String name();

    /**
     * One event's row in the sink's format (RowBinary, a JSON line), encoded as the event arrives so that the writer
     * holds compact bytes, not events, while a batch fills or the destination is down. Safe from any thread; may
     * throw for an event it cannot encode (the writer drops and counts it).
     */
    byte[] encodeRow(DhcpEvent event);

    /** One batch's body from its rows: their concatenation, which is right for RowBinary and for JSON lines. */
    default byte[] join(List<byte[]> rows) {
        int size = 0;
        for (byte[] r : rows) {
            size += r.length;
        }
        byte[] body = new byte[size];
        int at = 0;
        for (byte[] r : rows) {
            System.arraycopy(r, 0, body, at, r.length);
            at += r.length;
        }
        return body;
    }

    /** Delivers one encoded batch; throws when it was not accepted, so the writer retries it. */
    void send(byte[] body) throws IOException;

    /** The ClickHouse path: RowBinary over HTTP into {@code dhcp_events}. */
    static BatchSink clickhouse(ClickHouseClient client) {
        return new BatchSink() {
            @Override
            public String name() {
                return "clickhouse";
            }

            @Override
            public byte[] encodeRow(DhcpEvent event) {
                EventRows row = new EventRows(384);
                row.add(event);
                return row.toByteArray();
            }

            @Override
            public void send(byte[] body) throws IOException {
                client.insert(EventRows.TABLE, EventRows.COLUMNS, "RowBinary", body);
            }
        };
    }
}
