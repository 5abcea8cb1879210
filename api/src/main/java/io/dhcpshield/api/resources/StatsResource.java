package io.dhcpshield.api.resources;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Params;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.HistoryQueries;

import java.time.Duration;
import java.util.List;

/**
 * {@code /api/v1/stats/*}: the dashboard's aggregates from the Stage-1 views: events per message type per bucket,
 * per relay and circuit per bucket, and the top clients of a range.
 */
public final class StatsResource {

    private final Deferred<HistoryQueries> history;
    private final Time time;
    private final Duration maxRange;

    public StatsResource(Deferred<HistoryQueries> history, Time time, Duration maxRange) {
        this.history = history;
        this.time = time;
        this.maxRange = maxRange;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/stats/message-types", Access.VIEWER, r -> {
                    Params p = r.params().only("from", "to", "bucket");
                    TimeRange range = TimeRange.of(p, time.now(), Duration.ofHours(1), maxRange);
                    HistoryQueries.Bucket bucket = bucket(p, range);
                    return history.require().typeRates(range.from(), range.to(), bucket).collectList().map(list -> {
                        ObjectNode n = header(range, bucket);
                        ArrayNode a = n.putArray("series");
                        for (HistoryQueries.TypeRate t : list) {
                            a.addObject().put("bucket", t.bucket().toString()).put("family", t.family())
                                    .put("msg_type_code", t.messageType()).put("events", t.events());
                        }
                        return Response.ok(n);
                    });
                }),
                new Route("GET", "/api/v1/stats/relays", Access.VIEWER, r -> {
                    Params p = r.params().only("from", "to", "bucket");
                    TimeRange range = TimeRange.of(p, time.now(), Duration.ofHours(1), maxRange);
                    HistoryQueries.Bucket bucket = bucket(p, range);
                    return history.require().relayRates(range.from(), range.to(), bucket).collectList().map(list -> {
                        ObjectNode n = header(range, bucket);
                        ArrayNode a = n.putArray("series");
                        for (HistoryQueries.RelayRate t : list) {
                            ObjectNode x = a.addObject().put("bucket", t.bucket().toString());
                            Views.text(x, "relay_ip", t.relayIp());
                            Views.text(x, "circuit_id", t.circuitId());
                            x.put("events", t.events());
                        }
                        return Response.ok(n);
                    });
                }),
                new Route("GET", "/api/v1/stats/top-clients", Access.VIEWER, r -> {
                    Params p = r.params().only("from", "to", "limit");
                    TimeRange range = TimeRange.of(p, time.now(), Duration.ofHours(1), maxRange);
                    int limit = p.integer("limit", 1, 1000, 20);
                    return history.require().topTalkers(range.from(), range.to(), limit).collectList().map(list -> {
                        ObjectNode n = Views.object().put("from", range.from().toString())
                                .put("to", range.to().toString());
                        ArrayNode a = n.putArray("clients");
                        for (HistoryQueries.Talker t : list) {
                            ObjectNode x = a.addObject();
                            Views.text(x, "client_mac", t.mac());
                            x.put("client_mark", String.format("0x%06x", t.clientMark())).put("events", t.events());
                        }
                        return Response.ok(n);
                    });
                }));
    }

    private static ObjectNode header(TimeRange range, HistoryQueries.Bucket bucket) {
        return Views.object().put("from", range.from().toString()).put("to", range.to().toString())
                .put("bucket_secs", bucket.seconds);
    }

    /** The bucket asked for, or one that gives at most ~500 points over the range. */
    private static HistoryQueries.Bucket bucket(Params p, TimeRange range) {
        String b = p.oneOf("bucket", "1m", "5m", "15m", "1h", "1d");
        if (b != null) {
            HistoryQueries.Bucket chosen = switch (b) {
                case "1m" -> HistoryQueries.Bucket.MINUTE;
                case "5m" -> HistoryQueries.Bucket.FIVE_MINUTES;
                case "15m" -> HistoryQueries.Bucket.FIFTEEN_MINUTES;
                case "1h" -> HistoryQueries.Bucket.HOUR;
                default -> HistoryQueries.Bucket.DAY;
            };
            if (Duration.between(range.from(), range.to()).toSeconds() / chosen.seconds > 20_000) {
                throw ApiError.badRequest("bucket", "too many buckets for this range; take a larger bucket");
            }
            return chosen;
        }
        long secs = Duration.between(range.from(), range.to()).toSeconds();
        for (HistoryQueries.Bucket c : HistoryQueries.Bucket.values()) {
            if (secs / c.seconds <= 500) {
                return c;
            }
        }
        return HistoryQueries.Bucket.DAY;
    }
}
