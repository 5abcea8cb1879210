package io.dhcpshield.transport.pcap;

/**
 * Maps between the {@code LINKTYPE_} values stored in capture files and the {@code DLT_} values that libpcap on
 * Linux returns from {@code pcap_datalink} and expects in {@code pcap_open_dead}; they differ for four legacy types
 * only, raw IP among them.
 */
final class DltMapping {

    private DltMapping() {
    }

    static int toDlt(int linkType) {
        return switch (linkType) {
            case 100 -> 11; // ATM_RFC1483
            case LinkTypes.RAW -> 12;
            case 102 -> 15; // SLIP_BSDOS
            case 103 -> 16; // PPP_BSDOS
            default -> linkType;
        };
    }

    static int toLinkType(int dlt) {
        return switch (dlt) {
            case 11 -> 100;
            case 12 -> LinkTypes.RAW;
            case 15 -> 102;
            case 16 -> 103;
            default -> dlt;
        };
    }
}
