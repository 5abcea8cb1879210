package io.dhcpshield.automation.rules;

import io.dhcpshield.enforcement.action.ActionTarget;

/**
 * A client a hit resolves to: the action target (a MAC, else a DUID, else the bare mark; always keyed by the 24-bit
 * client mark its events carried) and its number: the rule's metric when the rule groups by client, otherwise the
 * client's matching events under the hit's key in the window.
 */
public record HitClient(ActionTarget target, double value) {
}
