package io.dhcpshield.transport.pcap;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The libpcap functions this package uses, bound with JNA; {@code pcap_t} and {@code pcap_dumper_t} are opaque
 * pointers.
 */
interface LibPcap extends Library {

    LibPcap INSTANCE = load();

    int PCAP_ERRBUF_SIZE = 256;
    int PCAP_TSTAMP_PRECISION_NANO = 1;
    int PCAP_ERROR_BREAK = -2;

    /*
     * struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; }, where the two timeval fields
     * are C longs and tv_usec holds nanoseconds on a handle opened with nanosecond precision.
     */
    int PKTHDR_TV_SEC = 0;
    int PKTHDR_TV_USEC = Native.LONG_SIZE;
    int PKTHDR_CAPLEN = 2 * Native.LONG_SIZE;
    int PKTHDR_LEN = PKTHDR_CAPLEN + 4;
    int PKTHDR_SIZE = PKTHDR_LEN + 4;

    Pointer pcap_open_offline_with_tstamp_precision(String fname, int precision, byte[] errbuf);

    Pointer pcap_open_dead_with_tstamp_precision(int linktype, int snaplen, int precision);

    int pcap_datalink(Pointer p);

    int pcap_next_ex(Pointer p, PointerByReference header, PointerByReference data);

    String pcap_geterr(Pointer p);

    void pcap_close(Pointer p);

    Pointer pcap_dump_open(Pointer p, String fname);

    void pcap_dump(Pointer dumper, Pointer header, Pointer data);

    int pcap_dump_flush(Pointer dumper);

    void pcap_dump_close(Pointer dumper);

    private static LibPcap load() {
        try {
            return Native.load("pcap", LibPcap.class);
        } catch (UnsatisfiedLinkError e) {
            // Without the development package there is no unversioned libpcap.so, only the runtime soname.
            try {
                return Native.load("libpcap.so.0.8", LibPcap.class);
            } catch (UnsatisfiedLinkError fallback) {
                fallback.addSuppressed(e);
                throw fallback;
            }
        }
    }
}
