package io.dhcpshield.transport.pcap;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The libpcap functions this package uses, bound with JNA; {@code pcap_t} and {@code pcap_dumper_t} are opaque
 * pointers, and so are the two structs live capture passes ({@code struct bpf_program}, {@code struct pcap_stat}),
 * laid out by hand below.
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

    int DLT_EN10MB = 1;
    int PCAP_ERROR = -1;
    /** pcap_compile's netmask when none is known (only "ip broadcast" filters need one). */
    int PCAP_NETMASK_UNKNOWN = 0xffffffff;

    /* struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }: the pointer is aligned to its size. */
    int BPF_PROGRAM_SIZE = 2 * Native.POINTER_SIZE;

    /* struct pcap_stat { u_int ps_recv; u_int ps_drop; u_int ps_ifdrop; } on Linux. */
    int STAT_RECV = 0;
    int STAT_DROP = 4;
    int STAT_IFDROP = 8;
    int STAT_SIZE = 16;

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

    // Live capture.

    Pointer pcap_create(String source, byte[] errbuf);

    int pcap_set_snaplen(Pointer p, int snaplen);

    int pcap_set_promisc(Pointer p, int promisc);

    int pcap_set_immediate_mode(Pointer p, int immediate);

    int pcap_set_buffer_size(Pointer p, int bufferSize);

    int pcap_set_timeout(Pointer p, int timeoutMillis);

    int pcap_activate(Pointer p);

    int pcap_compile(Pointer p, Pointer program, String expression, int optimize, int netmask);

    int pcap_setfilter(Pointer p, Pointer program);

    void pcap_freecode(Pointer program);

    int pcap_stats(Pointer p, Pointer stats);

    void pcap_breakloop(Pointer p);

    int pcap_setnonblock(Pointer p, int nonblock, byte[] errbuf);

    int pcap_get_selectable_fd(Pointer p);

    String pcap_statustostr(int status);

    String pcap_datalink_val_to_name(int dlt);

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
