package io.dhcpshield.core.dhcp6;

/** DHCPv6 option codes the product reads by name (IANA "DHCPv6 Option Codes"). */
public final class Dhcp6OptionCodes {

    public static final int CLIENTID = 1;
    public static final int SERVERID = 2;
    public static final int IA_NA = 3;
    public static final int IA_TA = 4;
    public static final int IAADDR = 5;
    public static final int ORO = 6;
    public static final int PREFERENCE = 7;
    public static final int ELAPSED_TIME = 8;
    public static final int RELAY_MSG = 9;
    public static final int AUTH = 11;
    public static final int UNICAST = 12;
    public static final int STATUS_CODE = 13;
    public static final int RAPID_COMMIT = 14;
    public static final int USER_CLASS = 15;
    public static final int VENDOR_CLASS = 16;
    public static final int VENDOR_OPTS = 17;
    public static final int INTERFACE_ID = 18;
    public static final int RECONF_MSG = 19;
    public static final int RECONF_ACCEPT = 20;
    public static final int DNS_SERVERS = 23;
    public static final int DOMAIN_LIST = 24;
    public static final int IA_PD = 25;
    public static final int IAPREFIX = 26;
    public static final int REMOTE_ID = 37;
    public static final int SUBSCRIBER_ID = 38;
    public static final int CLIENT_FQDN = 39;
    public static final int CLIENT_LINKLAYER_ADDR = 79;

    private static final String[] NAMES = new String[256];

    static {
        NAMES[CLIENTID] = "client-id";
        NAMES[SERVERID] = "server-id";
        NAMES[IA_NA] = "ia-na";
        NAMES[IA_TA] = "ia-ta";
        NAMES[IAADDR] = "iaaddr";
        NAMES[ORO] = "oro";
        NAMES[PREFERENCE] = "preference";
        NAMES[ELAPSED_TIME] = "elapsed-time";
        NAMES[RELAY_MSG] = "relay-msg";
        NAMES[AUTH] = "auth";
        NAMES[UNICAST] = "unicast";
        NAMES[STATUS_CODE] = "status-code";
        NAMES[RAPID_COMMIT] = "rapid-commit";
        NAMES[USER_CLASS] = "user-class";
        NAMES[VENDOR_CLASS] = "vendor-class";
        NAMES[VENDOR_OPTS] = "vendor-opts";
        NAMES[INTERFACE_ID] = "interface-id";
        NAMES[RECONF_MSG] = "reconf-msg";
        NAMES[RECONF_ACCEPT] = "reconf-accept";
        NAMES[DNS_SERVERS] = "dns-servers";
        NAMES[DOMAIN_LIST] = "domain-list";
        NAMES[IA_PD] = "ia-pd";
        NAMES[IAPREFIX] = "iaprefix";
        NAMES[REMOTE_ID] = "remote-id";
        NAMES[SUBSCRIBER_ID] = "subscriber-id";
        NAMES[CLIENT_FQDN] = "client-fqdn";
        NAMES[CLIENT_LINKLAYER_ADDR] = "client-linklayer-addr";
    }

    private Dhcp6OptionCodes() {
    }

    public static String name(int code) {
        String n = code >= 0 && code < NAMES.length ? NAMES[code] : null;
        return n != null ? n : "option-" + code;
    }
}
