package io.dhcpshield.automation.analysis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dhcpshield.enforcement.action.ActionType;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the backend recommends for one device: exactly one of the five deterministic actions and its reason. The
 * backend's reply is parsed strictly ({@link #parse}): a JSON object with exactly the keys {@code action} and
 * {@code reason}, alone or alone inside one {@code ```json} fence. Anything else is no recommendation at all.
 */
public record Recommendation(ActionType action, String reason) {

    /** The actions a backend may recommend (never cleanup or analyze). */
    public static final List<ActionType> ACTIONS = List.of(ActionType.BLOCK, ActionType.DENY, ActionType.THROTTLE,
            ActionType.MONITOR, ActionType.ALLOW);

    /** The longest reason kept; longer ones are cut here (the reason follows the action into the audit history). */
    public static final int MAX_REASON = 500;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** One fence around the whole reply: ```json ... ``` or ``` ... ```. */
    private static final Pattern FENCE = Pattern.compile("\\A```(?:json|JSON)?[ \\t]*\\R(.*?)\\R?```\\z",
            Pattern.DOTALL);
    private static final int MAX_REPLY = 8192;

    public Recommendation {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("a recommendation is one of block, deny, throttle, monitor, allow; was "
                    + action.label());
        }
    }

    /**
     * The recommendation in a backend's reply (the assistant message's content).
     *
     * @throws InvalidReply naming what is wrong, for anything but one object {@code {"action": ..., "reason": ...}}
     *                      with one of the five actions and a non-empty reason
     */
    public static Recommendation parse(String content) {
        if (content == null || content.isBlank()) {
            throw new InvalidReply("the reply is empty");
        }
        if (content.length() > MAX_REPLY) {
            throw new InvalidReply("the reply is longer than " + MAX_REPLY + " characters");
        }
        String text = content.strip();
        if (text.startsWith("```")) {
            Matcher m = FENCE.matcher(text);
            if (!m.matches()) {
                throw new InvalidReply("a fenced reply must be one ```json block and nothing else");
            }
            text = m.group(1).strip();
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidReply("the reply is not one JSON object: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidReply("the reply is not a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("action") && !name.equals("reason")) {
                throw new InvalidReply("unexpected key '" + clip(name, 40) + "' (only action and reason)");
            }
        }
        JsonNode action = root.get("action");
        JsonNode reason = root.get("reason");
        if (action == null || !action.isTextual()) {
            throw new InvalidReply("action must be a string");
        }
        if (reason == null || !reason.isTextual() || reason.asText().isBlank()) {
            throw new InvalidReply("reason must be a non-empty string");
        }
        String word = action.asText().strip().toLowerCase(Locale.ROOT);
        ActionType type = ACTIONS.stream().filter(t -> t.label().equals(word)).findFirst()
                .orElseThrow(() -> new InvalidReply("action '" + clip(action.asText(), 40)
                        + "' is not one of block, deny, throttle, monitor, allow"));
        return new Recommendation(type, clip(reason.asText().strip(), MAX_REASON));
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** A reply that is not exactly one recommendation; the message says why. */
    public static final class InvalidReply extends RuntimeException {
        public InvalidReply(String message) {
            super(message, null, false, false);
        }
    }
}
