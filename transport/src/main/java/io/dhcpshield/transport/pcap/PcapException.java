package io.dhcpshield.transport.pcap;

/**
 * A capture file could not be opened, read or written; the message carries the file and libpcap's error text.
 */
public final class PcapException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PcapException(String message) {
        super(message);
    }
}
