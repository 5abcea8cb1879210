package io.dhcpshield.automation.bulk;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.automation.rules.MessageTypes;
import io.dhcpshield.core.net.IpAddress;
import io.dhcpshield.enforcement.action.ActionType;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which clients a bulk action selects: those with at least one event in the window {@code [since, until)} that matches
 * every criterion given (null = not a criterion). A client is a 24-bit client mark, the key the kernel sets match, so
 * a dual-stack device whose DHCPv6 DUID-LL/LLT holds the MAC of its DHCPv4 side is one client. Every problem names
 * its field as the API's JSON does ({@code criteria.relay: not an IP address: '10.0.0'}).
 *
 * @param since       window start; default {@code until} minus {@link #DEFAULT_WINDOW}
 * @param until       window end (exclusive); default the moment the selection runs (a preview, a job's start)
 * @param pastAction  {@code any} or an action's label: the client had such an action taken in the window
 * @param relay       the relay agent's address (giaddr, DHCPv6 link address) exactly
 * @param circuit     Option 82 circuit-id exactly, as stored
 * @param vendorClass a substring of the vendor class (case ignored)
 * @param fingerprint the parameter request list (DHCPv6: ORO) exactly as stored, {@code 1,3,6,15}
 * @param messageType a message type name (DISCOVER, SOLICIT, REQUEST, ...); one DHCPv4 and DHCPv6 share means both
 * @param minRequests at least this many matching messages sent by the client in the window
 * @param family      4 or 6
 * @param site        the site id exactly
 */
public record BulkCriteria(Instant since, Instant until, String pastAction, IpAddress relay, String circuit,
                           String vendorClass, String fingerprint, String messageType, Integer minRequests,
                           Integer family, String site) {

    /** The window when {@code since} is not given. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    /** The longest window (a raw scan of dhcp_events, twice). */
    public static final Duration MAX_WINDOW = Duration.ofDays(7);
    /** {@code past_action} meaning an action of any type. */
    public static final String ANY_ACTION = "any";
    static final int MAX_TEXT = 255;

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String AT = "criteria.";
    private static final Set<String> FIELDS = Set.of("since", "until", "past_action", "relay", "circuit",
            "vendor_class", "fingerprint", "message_type", "min_requests", "family", "site");

    /** A resolved window, {@code [since, until)}. */
    public record Window(Instant since, Instant until) {
    }

    public BulkCriteria {
        if (pastAction != null) pastAction = pastAction.strip().toLowerCase(Locale.ROOT);
        if (messageType != null) messageType = messageType.strip().toUpperCase(Locale.ROOT);
        Map<String, String> problems = new LinkedHashMap<>();
        if (since != null && until != null) windowProblem(since, until, problems);
        if (pastAction != null && !pastAction.equals(ANY_ACTION) && actionType(pastAction) == null) {
            problems.put(AT + "past_action", "must be one of " + ANY_ACTION + ", " + Arrays.stream(ActionType.values())
                    .map(ActionType::label).collect(Collectors.joining(", ")) + ", was '" + pastAction + "'");
        }
        if (messageType != null) {
            List<MessageTypes.Type> types = MessageTypes.named(messageType);
            if (types.isEmpty() || types.size() > 2) {
                problems.put(AT + "message_type", "not a DHCP message type (DISCOVER, SOLICIT, REQUEST, ...): '"
                        + messageType + "'");
            }
        }
        if (minRequests != null && minRequests < 1) {
            problems.put(AT + "min_requests", "must be at least 1, was " + minRequests);
        }
        if (family != null && family != 4 && family != 6) problems.put(AT + "family", "must be 4 or 6, was " + family);
        text("circuit", circuit, problems);
        text("vendor_class", vendorClass, problems);
        text("fingerprint", fingerprint, problems);
        text("site", site, problems);
        if (!problems.isEmpty()) throw new BulkValidationException(problems);
    }

    /** No criterion: every client seen in the default window. */
    public static BulkCriteria none() {
        return new BulkCriteria(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The criteria of the API's JSON text (the value of {@code "criteria"}). */
    public static BulkCriteria parse(String json) {
        try {
            return parse(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw BulkValidationException.of("criteria", "not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The criteria of a parsed {@code "criteria"} object; null or missing means {@link #none()}. */
    public static BulkCriteria parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return none();
        if (!node.isObject()) throw BulkValidationException.of("criteria", "must be an object");
        JsonFields f = JsonFields.of(node, AT);
        BulkCriteria c = read(f);
        f.check();
        return c;
    }

    /**
     * The criteria from a reader on the {@code criteria} object; null when there were problems (noted in the reader,
     * which the caller checks, so a body's other fields are reported in the same answer).
     */
    static BulkCriteria read(JsonFields f) {
        int before = f.problemCount();
        f.only(FIELDS);
        Instant since = f.time("since");
        Instant until = f.time("until");
        String relayText = f.text("relay", 64);
        IpAddress relay = null;
        if (relayText != null) {
            try {
                relay = IpAddress.parse(relayText);
            } catch (RuntimeException e) {
                f.problem("relay", "not an IP address: '" + relayText + "'");
            }
        }
        String pastAction = f.text("past_action", 32);
        String circuit = f.text("circuit", MAX_TEXT);
        String vendorClass = f.text("vendor_class", MAX_TEXT);
        String fingerprint = f.text("fingerprint", MAX_TEXT);
        String messageType = f.text("message_type", 64);
        Long minRequests = f.number("min_requests", Integer.MIN_VALUE, Integer.MAX_VALUE);
        Long family = f.number("family", Integer.MIN_VALUE, Integer.MAX_VALUE);
        String site = f.text("site", MAX_TEXT);
        if (f.problemCount() > before) return null;
        try {
            return new BulkCriteria(since, until, pastAction, relay, circuit, vendorClass, fingerprint, messageType,
                    minRequests == null ? null : minRequests.intValue(), family == null ? null : family.intValue(),
                    site);
        } catch (BulkValidationException e) {
            f.merge(e);
            return null;
        }
    }

    /** The criteria as the API's JSON: every field, null where not given. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("since", since == null ? null : since.toString());
        o.put("until", until == null ? null : until.toString());
        o.put("past_action", pastAction);
        o.put("relay", relay == null ? null : relay.toString());
        o.put("circuit", circuit);
        o.put("vendor_class", vendorClass);
        o.put("fingerprint", fingerprint);
        o.put("message_type", messageType);
        o.put("min_requests", minRequests);
        o.put("family", family);
        o.put("site", site);
        return o;
    }

    /**
     * The window a selection at {@code now} reads: {@code until} defaults to now and {@code since} to 24 h before
     * {@code until}; at most {@link #MAX_WINDOW}.
     */
    public Window window(Instant now) {
        Instant u = until != null ? until : now;
        Instant s = since != null ? since : u.minus(DEFAULT_WINDOW);
        Map<String, String> problems = new LinkedHashMap<>();
        windowProblem(s, u, problems);
        if (!problems.isEmpty()) throw new BulkValidationException(problems);
        return new Window(s, u);
    }

    /** The same criteria with an explicit window (what a job records when it starts). */
    public BulkCriteria withWindow(Window w) {
        return new BulkCriteria(w.since(), w.until(), pastAction, relay, circuit, vendorClass, fingerprint,
                messageType, minRequests, family, site);
    }

    /** The (family, type) pairs of {@link #messageType}: empty when not given. */
    List<MessageTypes.Type> messageTypes() {
        return messageType == null ? List.of() : MessageTypes.named(messageType);
    }

    /** The action type of {@link #pastAction}; null when it is absent or {@code any}. */
    ActionType pastActionType() {
        return pastAction == null || pastAction.equals(ANY_ACTION) ? null : actionType(pastAction);
    }

    private static ActionType actionType(String label) {
        try {
            return ActionType.parse(label);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void windowProblem(Instant since, Instant until, Map<String, String> problems) {
        if (!since.isBefore(until)) {
            problems.put(AT + "since", "must be before criteria.until (" + until + ", now when left out), was " + since);
        } else if (Duration.between(since, until).compareTo(MAX_WINDOW) > 0) {
            problems.put(AT + "since", "the window is at most " + MAX_WINDOW.toDays() + " days, was "
                    + Duration.between(since, until).toHours() + " h");
        }
    }

    private static void text(String field, String value, Map<String, String> problems) {
        if (value != null && (value.isBlank() || value.length() > MAX_TEXT)) {
            problems.put(AT + field, "must be 1 to " + MAX_TEXT + " characters");
        }
    }
}
