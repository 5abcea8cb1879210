package io.dhcpshield.automation.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.enforcement.action.ActionType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The JSON of the Bulk Actions API (snake_case, times ISO-8601 UTC, absent values null): the two request bodies
 * read strictly (unknown fields, wrong types and bad values are {@link BulkValidationException}s naming every field,
 * {@code criteria.relay: not an IP address: '10.0.0'}) and the answers written. With these the API resource is
 * parse, call {@link BulkJobRunner}, write.
 */
public final class BulkJson {

    /** Sample size when the preview body does not say. */
    public static final int DEFAULT_SAMPLE = 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PREVIEW_FIELDS = Set.of("criteria", "sample");
    private static final Set<String> JOB_FIELDS = Set.of("criteria", "action", "duration_seconds", "reason",
            "batch_size", "run_at");

    /** A preview request: the criteria and how many clients to sample. */
    public record PreviewRequest(BulkCriteria criteria, int sample) {
    }

    private BulkJson() {
    }

    /** {@code {"criteria": C, "sample": 20}}; criteria required (an empty object selects every client). */
    public static PreviewRequest previewRequest(JsonNode body) {
        JsonFields f = body(body);
        f.only(PREVIEW_FIELDS);
        BulkCriteria criteria = criteria(f);
        Long sample = f.number("sample", 0, BulkJobRunner.MAX_SAMPLE);
        f.check();
        return new PreviewRequest(criteria, sample == null ? DEFAULT_SAMPLE : sample.intValue());
    }

    /**
     * {@code {"criteria": C, "action": "block", "duration_seconds": n|null, "reason": "...", "batch_size": 500,
     * "run_at": ISO|null}}.
     */
    public static BulkJobRequest jobRequest(JsonNode body) {
        JsonFields f = body(body);
        f.only(JOB_FIELDS);
        BulkCriteria criteria = criteria(f);
        String actionText = f.text("action", 32);
        ActionType action = null;
        if (actionText == null) {
            f.problem("action", "is required (block, deny, throttle, monitor, allow or cleanup)");
        } else {
            try {
                action = ActionType.parse(actionText);
            } catch (IllegalArgumentException e) {
                f.problem("action", "must be one of block, deny, throttle, monitor, allow, cleanup, was '"
                        + actionText + "'");
            }
        }
        Long seconds = f.number("duration_seconds", 1, BulkJobRequest.MAX_DURATION.toSeconds());
        String reason = f.text("reason", BulkJobRequest.MAX_REASON);
        if (reason == null) f.problem("reason", "is required (it is in every action's record)");
        Long batch = f.number("batch_size", 1, BulkJobRequest.MAX_BATCH_SIZE);
        Instant runAt = f.time("run_at");
        f.check();
        return new BulkJobRequest(criteria, action, seconds == null ? null : Duration.ofSeconds(seconds), reason,
                batch == null ? BulkJobRequest.DEFAULT_BATCH_SIZE : batch.intValue(), runAt);
    }

    /** {@code {"count", "sample": [client...], "since", "until", "query_ms"}}. */
    public static ObjectNode preview(BulkPreview p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("count", p.count());
        ArrayNode a = o.putArray("sample");
        p.sample().forEach(c -> a.add(client(c)));
        o.put("since", p.window().since().toString());
        o.put("until", p.window().until().toString());
        o.put("query_ms", p.queryMs());
        return o;
    }

    /**
     * {@code {"mark": "0x1a2b3c", "mac", "duid", "family": [4, 6], "requests", "last_seen", "relay", "circuit",
     * "vendor_class", "target": "mac 02:..."}}: {@code family} lists the families the client used in the window (a
     * dual-stack device has both), {@code target} is what an action would be aimed at.
     */
    public static ObjectNode client(BulkClient c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("mark", c.markText());
        o.put("mac", c.mac() == null ? null : c.mac().toString());
        o.put("duid", c.duid());
        ArrayNode f = o.putArray("family");
        c.families().forEach(f::add);
        o.put("requests", c.requests());
        o.put("last_seen", c.lastSeen().toString());
        o.put("relay", c.relay());
        o.put("circuit", c.circuit());
        o.put("vendor_class", c.vendorClass());
        o.put("target", c.target().toString());
        return o;
    }

    /**
     * {@code {"id", "state", "action", "duration_seconds", "criteria": C, "reason", "created_by", "created_at",
     * "run_at", "started_at", "finished_at", "total", "done", "failed", "batches", "batch_size", "error"}}.
     */
    public static ObjectNode job(BulkJob j) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", j.id());
        o.put("state", j.state().label());
        o.put("action", j.action().label());
        o.put("duration_seconds", j.duration() == null ? null : j.duration().toSeconds());
        o.set("criteria", j.criteria().toJson());
        o.put("reason", j.reason());
        o.put("created_by", j.createdBy());
        o.put("created_at", j.createdAt().toString());
        o.put("run_at", j.runAt().toString());
        o.put("started_at", j.startedAt() == null ? null : j.startedAt().toString());
        o.put("finished_at", j.finishedAt() == null ? null : j.finishedAt().toString());
        o.put("total", j.total());
        o.put("done", j.done());
        o.put("failed", j.failed());
        o.put("batches", j.batches());
        o.put("batch_size", j.batchSize());
        o.put("error", j.error());
        return o;
    }

    /** {@code {"jobs": [J...]}}. */
    public static ObjectNode jobs(List<BulkJob> jobs) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode a = o.putArray("jobs");
        jobs.forEach(j -> a.add(job(j)));
        return o;
    }

    private static JsonFields body(JsonNode body) {
        if (body == null || !body.isObject()) throw BulkValidationException.of("body", "must be a JSON object");
        return JsonFields.of(body, "");
    }

    private static BulkCriteria criteria(JsonFields f) {
        JsonFields c = f.object("criteria", true);
        return c == null ? null : BulkCriteria.read(c);
    }
}
