package io.dhcpshield.storage;

import java.util.List;

/** A page of audit entries, newest first; {@code next} is null on the last page. */
public record AuditPage(List<AuditEntry> entries, Cursor next) {
}
