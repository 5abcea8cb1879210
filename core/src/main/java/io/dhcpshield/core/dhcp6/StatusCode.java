package io.dhcpshield.core.dhcp6;

/** OPTION_STATUS_CODE (13): RFC 8415 code and the server's message. */
public record StatusCode(int code, String message) {

    public String codeName() {
        return switch (code) {
            case 0 -> "Success";
            case 1 -> "UnspecFail";
            case 2 -> "NoAddrsAvail";
            case 3 -> "NoBinding";
            case 4 -> "NotOnLink";
            case 5 -> "UseMulticast";
            case 6 -> "NoPrefixAvail";
            default -> "status-" + code;
        };
    }
}
