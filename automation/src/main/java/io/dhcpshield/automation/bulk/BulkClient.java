package io.dhcpshield.automation.bulk;

import io.dhcpshield.automation.Rows;
import io.dhcpshield.core.net.MacAddress;
import io.dhcpshield.enforcement.action.ActionTarget;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One client a bulk selection found, described from its events in the window: its 24-bit client mark, a MAC and a
 * DUID when its events carried them (a dual-stack device has both under one mark), the families it used, and from the
 * events that matched the criteria: the messages it sent, when it was last seen, the newest relay, circuit and vendor
 * class. Absent text is null.
 */
public record BulkClient(int mark, MacAddress mac, String duid, List<Integer> families, long requests,
                         Instant lastSeen, String relay, String circuit, String vendorClass) {

    public BulkClient {
        Objects.requireNonNull(families, "families");
        families = List.copyOf(families);
    }

    /**
     * What an action on this client is aimed at: named by its MAC, else its DUID, else its mark, and always keyed by
     * the mark its events carried (a MAC's own low 24 bits may differ: a client-id or DUID hash marked it).
     */
    public ActionTarget target() {
        if (mac != null) return new ActionTarget(ActionTarget.Kind.MAC, mac.toString(), mark);
        if (duid != null) return new ActionTarget(ActionTarget.Kind.DUID, duid, mark);
        return ActionTarget.mark(mark);
    }

    /** The mark as the events and the GUI show it: {@code 0x00f001}. */
    public String markText() {
        return Rows.mark(mark);
    }
}
