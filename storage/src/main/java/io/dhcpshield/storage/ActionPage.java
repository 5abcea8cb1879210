package io.dhcpshield.storage;

import io.dhcpshield.enforcement.action.ActionRecord;

import java.util.List;

/** A page of actions (each as its newest version), newest taken first; {@code next} is null on the last page. */
public record ActionPage(List<ActionRecord> actions, Cursor next) {
}
