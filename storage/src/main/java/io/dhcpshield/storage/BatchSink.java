package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;

import java.io.IOException;

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

    /**
     * Delivers one encoded batch, the first {@code length} bytes of {@code body}: its rows back to back, which is
     * right for RowBinary and for JSON lines. Throws when it was not accepted, so the writer retries it. The writer
     * reuses {@code body} once this returns.
     */
    void send(byte[] body, int length) throws IOException;

    /** Delivers a whole array as one batch. */
    default void send(byte[] body) throws IOException {
        send(body, body.length);
    }

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
            public void send(byte[] body, int length) throws IOException {
                client.insert(EventRows.TABLE, EventRows.COLUMNS, "RowBinary", body, length);
            }
        };
    }
}
