package io.dhcpshield.enforcement.kernel;

/** What one libnftables command returned: the return code, its output buffer and its error buffer verbatim. */
public record NftResult(int rc, String output, String error) {
    public boolean ok() { return rc == 0; }
}
