package io.dhcpshield.automation.analysis;

import io.dhcpshield.enforcement.action.ActionType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend's reply parses to exactly one of the five actions and a reason, or to nothing. */
class RecommendationTest {

    @Test
    void aBareObjectParses() {
        Recommendation r = Recommendation.parse("{\"action\": \"throttle\", \"reason\": \"400 DISCOVERs an hour\"}");
        assertEquals(ActionType.THROTTLE, r.action());
        assertEquals("400 DISCOVERs an hour", r.reason());
    }

    @Test
    void oneJsonFenceAroundTheWholeReplyParses() {
        Recommendation r = Recommendation.parse("```json\n{\"action\":\"Block\",\"reason\":\"starvation\"}\n```\n");
        assertEquals(ActionType.BLOCK, r.action());
        assertEquals(ActionType.MONITOR, Recommendation.parse("```\n{\"reason\":\"thin\",\"action\":\"monitor\"}```")
                .action());
    }

    @Test
    void everyOfTheFiveActionsParses() {
        for (ActionType t : Recommendation.ACTIONS) {
            assertEquals(t, Recommendation.parse("{\"action\":\"" + t.label() + "\",\"reason\":\"r\"}").action());
        }
    }

    @Test
    void anythingElseIsInvalid() {
        String[] replies = {
                "",
                "block",
                "I would block this client: {\"action\":\"block\",\"reason\":\"x\"}",
                "{\"action\":\"block\",\"reason\":\"x\"} and nothing else",
                "{\"action\":\"block\",\"reason\":\"x\"}{\"action\":\"allow\",\"reason\":\"y\"}",
                "[{\"action\":\"block\",\"reason\":\"x\"}]",
                "{\"action\":\"analyze\",\"reason\":\"x\"}",
                "{\"action\":\"cleanup\",\"reason\":\"x\"}",
                "{\"action\":\"block or throttle\",\"reason\":\"x\"}",
                "{\"action\":\"block\"}",
                "{\"action\":\"block\",\"reason\":\"  \"}",
                "{\"action\":\"block\",\"reason\":\"x\",\"confidence\":0.9}",
                "{\"action\":\"block\",\"action\":\"allow\",\"reason\":\"x\"}",
                "{\"action\":[\"block\"],\"reason\":\"x\"}",
                "Here you go:\n```json\n{\"action\":\"block\",\"reason\":\"x\"}\n```",
                "```json\n{\"action\":\"block\",\"reason\":\"x\"}\n```\n```json\n{}\n```",
                "{\"action\":\"block\",\"reason\":\"x\"" ,
        };
        for (String reply : replies) {
            assertThrows(Recommendation.InvalidReply.class, () -> Recommendation.parse(reply), reply);
        }
    }

    @Test
    void aLongReasonIsCut() {
        String reason = "x".repeat(5000);
        Recommendation r = Recommendation.parse("{\"action\":\"allow\",\"reason\":\"" + reason + "\"}");
        assertEquals(Recommendation.MAX_REASON, r.reason().length());
        assertTrue(r.reason().endsWith("…"));
    }
}
