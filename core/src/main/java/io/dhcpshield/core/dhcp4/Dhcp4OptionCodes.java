package io.dhcpshield.core.dhcp4;

/** DHCPv4 option codes the product reads by name (IANA "BOOTP Vendor Extensions and DHCP Options"). */
public final class Dhcp4OptionCodes {

    public static final int PAD = 0;
    public static final int SUBNET_MASK = 1;
    public static final int ROUTER = 3;
    public static final int DNS_SERVERS = 6;
    public static final int HOSTNAME = 12;
    public static final int DOMAIN_NAME = 15;
    public static final int STATIC_ROUTE = 33;
    public static final int REQUESTED_ADDRESS = 50;
    public static final int LEASE_TIME = 51;
    public static final int OVERLOAD = 52;
    public static final int MESSAGE_TYPE = 53;
    public static final int SERVER_ID = 54;
    public static final int PARAMETER_REQUEST_LIST = 55;
    public static final int MESSAGE = 56;
    public static final int MAX_MESSAGE_SIZE = 57;
    public static final int RENEWAL_TIME = 58;
    public static final int REBINDING_TIME = 59;
    public static final int VENDOR_CLASS = 60;
    public static final int CLIENT_ID = 61;
    public static final int USER_CLASS = 77;
    public static final int CLIENT_FQDN = 81;
    public static final int RELAY_AGENT_INFO = 82;
    public static final int SUBNET_SELECTION = 118;
    public static final int VENDOR_IDENTIFYING_CLASS = 124;
    public static final int VENDOR_IDENTIFYING_INFO = 125;
    public static final int END = 255;

    private static final String[] NAMES = new String[256];

    static {
        NAMES[PAD] = "pad";
        NAMES[SUBNET_MASK] = "subnet-mask";
        NAMES[ROUTER] = "router";
        NAMES[DNS_SERVERS] = "domain-name-servers";
        NAMES[HOSTNAME] = "hostname";
        NAMES[DOMAIN_NAME] = "domain-name";
        NAMES[STATIC_ROUTE] = "static-route";
        NAMES[REQUESTED_ADDRESS] = "requested-address";
        NAMES[LEASE_TIME] = "lease-time";
        NAMES[OVERLOAD] = "overload";
        NAMES[MESSAGE_TYPE] = "message-type";
        NAMES[SERVER_ID] = "server-id";
        NAMES[PARAMETER_REQUEST_LIST] = "parameter-request-list";
        NAMES[MESSAGE] = "message";
        NAMES[MAX_MESSAGE_SIZE] = "max-message-size";
        NAMES[RENEWAL_TIME] = "renewal-time";
        NAMES[REBINDING_TIME] = "rebinding-time";
        NAMES[VENDOR_CLASS] = "vendor-class";
        NAMES[CLIENT_ID] = "client-id";
        NAMES[USER_CLASS] = "user-class";
        NAMES[CLIENT_FQDN] = "client-fqdn";
        NAMES[RELAY_AGENT_INFO] = "relay-agent-info";
        NAMES[SUBNET_SELECTION] = "subnet-selection";
        NAMES[VENDOR_IDENTIFYING_CLASS] = "vendor-identifying-class";
        NAMES[VENDOR_IDENTIFYING_INFO] = "vendor-identifying-info";
        NAMES[END] = "end";
    }

    private Dhcp4OptionCodes() {
    }

    /** The option's name, or {@code option-N} for codes we do not name. */
    public static String name(int code) {
        String n = code >= 0 && code < 256 ? NAMES[code] : null;
        return n != null ? n : "option-" + code;
    }
}
