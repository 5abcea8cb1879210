package io.dhcpshield.storage;

import io.dhcpshield.core.event.DhcpEvent;

import java.io.IOException;
import java.util.List;

/** Where an {@link EventWriter} delivers its batches: encode once, then send (and re-send on retry) the bytes. */
public interface BatchSink {

    /** Short name for logs and counters, e.g. {@code clickhouse}. */
    String name();

    byte[] encode(List<DhcpEvent> batch);

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
            public byte[] encode(List<DhcpEvent> batch) {
                return EventRows.encode(batch);
            }

            @Override
            public void send(byte[] body) throws IOException {
                client.insert(EventRows.TABLE, EventRows.COLUMNS, "RowBinary", body);
            }
        };
    }
}
