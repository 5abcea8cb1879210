package io.dhcpshield.enforcement.kernel;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads nf_tables state over netlink, without libnftables: named counters ({@link #counters}), a set's declared size
 * and timeout ({@link #setSpec}), and elements of a {@code mark}-keyed set straight from nf_tables over netlink ({@code NFT_MSG_GETSETELEM}),
 * without libnftables. Why: nftables 1.0.6 fills its cache with the elements of <em>every</em> set for any command
 * that lists something (even {@code list counter}), so with a 1M-element set each read costs ~43 s, most of it kernel
 * time spent in the set dump (docs/performance.md). This class asks only for what it needs:
 * <ul>
 *   <li>{@link #lookup}: one non-dump GET per key, many requests per {@code send}; cost grows with the number of
 *       keys asked, not with the size of the set (what reconcile needs for the actions it holds);</li>
 *   <li>{@link #dump}: the whole set in one netlink dump (the kernel walk is still the slow part for huge sets).</li>
 * </ul>
 * Acts on the network namespace of the calling thread (the socket is opened per call). Keys are 32-bit marks,
 * values are seconds until the element expires (the set's timeout semantics: 0 when the element has no timeout).
 */
public final class NftNetlink {
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int socket(int domain, int type, int protocol);

        int setsockopt(int fd, int level, int name, int[] value, int len);

        long send(int fd, byte[] buf, long len, int flags);

        long recv(int fd, byte[] buf, long len, int flags);

        int close(int fd);
    }

    private static final int AF_NETLINK = 16, SOCK_RAW = 3, NETLINK_NETFILTER = 12;
    private static final int SOL_SOCKET = 1, SO_RCVBUF = 8, SO_RCVBUFFORCE = 33, SO_SNDBUF = 7;
    private static final int NLM_F_REQUEST = 1, NLM_F_ACK = 4, NLM_F_DUMP = 0x300;
    private static final int NLMSG_ERROR = 2, NLMSG_DONE = 3;
    private static final int NFNL_SUBSYS_NFTABLES = 10, NFT_MSG_GETSETELEM = 13, NFT_MSG_NEWSETELEM = 12,
            NFT_MSG_GETSET = 10, NFT_MSG_NEWSET = 9, NFT_MSG_GETOBJ = 19, NFT_MSG_NEWOBJ = 18;
    private static final int NFTA_OBJ_TABLE = 1, NFTA_OBJ_NAME = 2, NFTA_OBJ_TYPE = 3, NFTA_OBJ_DATA = 4,
            NFT_OBJECT_COUNTER = 1, NFTA_COUNTER_BYTES = 1, NFTA_COUNTER_PACKETS = 2;
    private static final int NFTA_SET_TIMEOUT = 11, NFTA_SET_DESC = 9, NFTA_SET_DESC_SIZE = 1;
    private static final int NFPROTO_INET = 1;
    private static final int NFTA_SET_ELEM_LIST_TABLE = 1, NFTA_SET_ELEM_LIST_SET = 2, NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    private static final int NFTA_LIST_ELEM = 1, NFTA_SET_ELEM_KEY = 1, NFTA_SET_ELEM_TIMEOUT = 4,
            NFTA_SET_ELEM_EXPIRATION = 5, NFTA_DATA_VALUE = 1;
    private static final int NLA_F_NESTED = 0x8000, NLA_TYPE_MASK = 0x3fff;
    private static final int ENOENT = 2;
    private static final int LOOKUPS_PER_SEND = 512;

    private final String table;
    private final int family;

    public NftNetlink(String table) { this(NFPROTO_INET, table); }

    NftNetlink(int family, String table) {
        this.family = family;
        this.table = table;
    }

    /** The elements of {@code set} among {@code keys}: key → seconds left. Missing keys are simply absent. */
    public Map<Long, Long> lookup(String set, Collection<Long> keys) {
        Map<Long, Long> out = new LinkedHashMap<>();
        int fd = open();
        try {
            ByteBuffer q = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
            int h = header(q, NFT_MSG_GETSET, NLM_F_REQUEST | NLM_F_ACK, 0);
            attrString(q, 1, table); // NFTA_SET_TABLE
            attrString(q, 2, set);   // NFTA_SET_NAME
            q.putInt(h, q.position() - h);
            send(fd, q);
            expectExists(fd, set);
            if (keys.isEmpty()) return out;
            Long[] all = keys.toArray(new Long[0]);
            byte[] rx = new byte[1 << 20];
            for (int from = 0; from < all.length; from += LOOKUPS_PER_SEND) {
                int n = Math.min(LOOKUPS_PER_SEND, all.length - from);
                ByteBuffer req = ByteBuffer.allocate(n * 128).order(ByteOrder.nativeOrder());
                for (int i = 0; i < n; i++) getRequest(req, set, all[from + i], from + i + 1);
                send(fd, req);
                int answered = 0;
                while (answered < n) {
                    long len = LibC.INSTANCE.recv(fd, rx, rx.length, 0);
                    if (len < 0) throw new IllegalStateException("netlink recv failed: errno " + Native.getLastError());
                    ByteBuffer b = ByteBuffer.wrap(rx, 0, (int) len).order(ByteOrder.nativeOrder());
                    while (b.remaining() >= 16) {
                        int start = b.position(), mlen = b.getInt(), type = b.getShort() & 0xffff;
                        b.getShort(); b.getInt(); b.getInt(); // flags, seq, pid
                        if (type == NLMSG_ERROR) {
                            int err = -b.getInt();
                            if (err != 0 && err != ENOENT) {
                                throw new IllegalStateException("get element " + table + " " + set + ": "
                                        + errnoText(err));
                            }
                            answered++;
                        } else if (type == ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWSETELEM)) {
                            parseElements(b, start + mlen, out);
                            answered++;
                        }
                        b.position(start + align(mlen));
                    }
                }
            }
            return out;
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }

    /** Every element of {@code set}: key → seconds left. */
    public Map<Long, Long> dump(String set) {
        int fd = open();
        try {
            ByteBuffer req = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
            int hdr = header(req, NFT_MSG_GETSETELEM, NLM_F_REQUEST | NLM_F_DUMP, 1);
            attrString(req, NFTA_SET_ELEM_LIST_TABLE, table);
            attrString(req, NFTA_SET_ELEM_LIST_SET, set);
            req.putInt(hdr, req.position() - hdr);
            send(fd, req);
            Map<Long, Long> out = new LinkedHashMap<>();
            readDump(fd, "list set " + table + " " + set, (type, b, end) -> parseElements(b, end, out));
            return out;
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }

    /** Every named counter of the table: name → {packets, bytes}. One dump; no set elements are read. */
    public Map<String, long[]> counters() {
        int fd = open();
        try {
            ByteBuffer req = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
            int hdr = header(req, NFT_MSG_GETOBJ, NLM_F_REQUEST | NLM_F_DUMP, 1);
            attrString(req, NFTA_OBJ_TABLE, table);
            req.putShort((short) 8).putShort((short) NFTA_OBJ_TYPE).order(ByteOrder.BIG_ENDIAN).putInt(NFT_OBJECT_COUNTER)
                    .order(ByteOrder.nativeOrder());
            req.putInt(hdr, req.position() - hdr);
            send(fd, req);
            Map<String, long[]> out = new LinkedHashMap<>();
            readDump(fd, "list counters table " + table, (type, b, end) -> {
                if (type == ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWOBJ)) parseCounter(b, end, out);
            });
            return out;
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }

    /** One message of a dump reply: its netlink type, the buffer at its payload, and where the message ends. */
    @FunctionalInterface
    private interface DumpMessage {
        void accept(int type, ByteBuffer payload, int end);
    }

    /** Reads a dump reply until NLMSG_DONE, handing each data message to {@code each}; an error reply throws. */
    private static void readDump(int fd, String what, DumpMessage each) {
        byte[] rx = new byte[1 << 20];
        while (true) {
            long len = LibC.INSTANCE.recv(fd, rx, rx.length, 0);
            if (len < 0) throw new IllegalStateException("netlink recv failed: errno " + Native.getLastError());
            ByteBuffer b = ByteBuffer.wrap(rx, 0, (int) len).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 16) {
                int start = b.position(), mlen = b.getInt(), type = b.getShort() & 0xffff;
                b.getShort(); b.getInt(); b.getInt();
                if (type == NLMSG_DONE) return;
                if (type == NLMSG_ERROR) {
                    int err = -b.getInt();
                    if (err != 0) throw new IllegalStateException(what + ": " + errnoText(err));
                    return;
                }
                each.accept(type, b, start + mlen);
                b.position(start + align(mlen));
            }
        }
    }

    private void parseCounter(ByteBuffer b, int end, Map<String, long[]> out) {
        b.position(b.position() + 4);
        String name = null, objTable = null;
        long packets = 0, bytes = 0;
        while (b.position() + 4 <= end) {
            int at = b.position(), len = b.getShort() & 0xffff, type = b.getShort() & NLA_TYPE_MASK;
            if (len < 4) break;
            if (type == NFTA_OBJ_NAME) name = cString(b, len - 4);
            else if (type == NFTA_OBJ_TABLE) objTable = cString(b, len - 4);
            else if (type == NFTA_OBJ_DATA) {
                while (b.position() + 4 <= at + len) {
                    int cAt = b.position(), cLen = b.getShort() & 0xffff, cType = b.getShort() & NLA_TYPE_MASK;
                    if (cLen < 4) break;
                    long v = cLen >= 12 ? b.order(ByteOrder.BIG_ENDIAN).getLong() : 0;
                    b.order(ByteOrder.nativeOrder());
                    if (cType == NFTA_COUNTER_PACKETS) packets = v;
                    else if (cType == NFTA_COUNTER_BYTES) bytes = v;
                    b.position(cAt + align(cLen));
                }
            }
            b.position(at + align(len));
        }
        if (name != null && table.equals(objTable)) out.put(name, new long[] {packets, bytes});
    }

    private static String cString(ByteBuffer b, int len) {
        byte[] v = new byte[len];
        b.get(v);
        int n = 0;
        while (n < v.length && v[n] != 0) n++;
        return new String(v, 0, n, StandardCharsets.US_ASCII);
    }

    /** A set's declared {size, timeout seconds} (0 when not declared). */
    public long[] setSpec(String set) {
        int fd = open();
        try {
            ByteBuffer q = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
            int h = header(q, NFT_MSG_GETSET, NLM_F_REQUEST, 1);
            attrString(q, 1, table);
            attrString(q, 2, set);
            q.putInt(h, q.position() - h);
            send(fd, q);
            byte[] rx = new byte[1 << 16];
            long len = LibC.INSTANCE.recv(fd, rx, rx.length, 0);
            if (len < 0) throw new IllegalStateException("netlink recv failed: errno " + Native.getLastError());
            ByteBuffer b = ByteBuffer.wrap(rx, 0, (int) len).order(ByteOrder.nativeOrder());
            int start = b.position(), mlen = b.getInt(), type = b.getShort() & 0xffff;
            b.getShort(); b.getInt(); b.getInt();
            if (type == NLMSG_ERROR) throw new IllegalStateException("list set " + table + " " + set + ": " + errnoText(-b.getInt()));
            long size = 0, timeoutMs = 0;
            b.position(b.position() + 4);
            int end = start + mlen;
            while (b.position() + 4 <= end) {
                int at = b.position(), alen = b.getShort() & 0xffff, atype = b.getShort() & NLA_TYPE_MASK;
                if (alen < 4) break;
                if (atype == NFTA_SET_TIMEOUT) {
                    timeoutMs = b.order(ByteOrder.BIG_ENDIAN).getLong();
                    b.order(ByteOrder.nativeOrder());
                } else if (atype == NFTA_SET_DESC) {
                    while (b.position() + 4 <= at + alen) {
                        int dAt = b.position(), dLen = b.getShort() & 0xffff, dType = b.getShort() & NLA_TYPE_MASK;
                        if (dLen < 4) break;
                        if (dType == NFTA_SET_DESC_SIZE) size = b.order(ByteOrder.BIG_ENDIAN).getInt() & 0xffffffffL;
                        b.order(ByteOrder.nativeOrder());
                        b.position(dAt + align(dLen));
                    }
                }
                b.position(at + align(alen));
            }
            return new long[] {size, timeoutMs / 1000};
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }

    /** Reads the answer to the GETSET probe: the set (then the ack), or the kernel's error. */
    private void expectExists(int fd, String set) {
        readDump(fd, "list set " + table + " " + set, (type, payload, end) -> { });
    }

    private int open() {
        int fd = LibC.INSTANCE.socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
        if (fd < 0) throw new IllegalStateException("netlink socket failed: errno " + Native.getLastError());
        int[] size = {8 << 20};
        if (LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, size, 4) != 0) {
            LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size, 4);
        }
        LibC.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, size, 4);
        return fd;
    }

    private static void send(int fd, ByteBuffer req) {
        long sent = LibC.INSTANCE.send(fd, req.array(), req.position(), 0);
        if (sent != req.position()) throw new IllegalStateException("netlink send failed: errno " + Native.getLastError());
    }

    private void getRequest(ByteBuffer b, String set, long key, int seq) {
        int hdr = header(b, NFT_MSG_GETSETELEM, NLM_F_REQUEST, seq);
        attrString(b, NFTA_SET_ELEM_LIST_TABLE, table);
        attrString(b, NFTA_SET_ELEM_LIST_SET, set);
        int elems = nestStart(b, NFTA_SET_ELEM_LIST_ELEMENTS);
        int elem = nestStart(b, NFTA_LIST_ELEM);
        int k = nestStart(b, NFTA_SET_ELEM_KEY);
        b.putShort((short) 8).putShort((short) NFTA_DATA_VALUE).putInt((int) key); // a mark: host byte order
        nestEnd(b, k);
        nestEnd(b, elem);
        nestEnd(b, elems);
        b.putInt(hdr, b.position() - hdr);
    }

    private int header(ByteBuffer b, int msg, int flags, int seq) {
        int at = b.position();
        b.putInt(0).putShort((short) ((NFNL_SUBSYS_NFTABLES << 8) | msg)).putShort((short) flags).putInt(seq).putInt(0);
        b.put((byte) family).put((byte) 0).putShort((short) 0); // nfgenmsg: family, version, res_id (big endian 0)
        return at;
    }

    private static void attrString(ByteBuffer b, int type, String s) {
        byte[] v = s.getBytes(StandardCharsets.US_ASCII);
        int len = 4 + v.length + 1;
        b.putShort((short) len).putShort((short) type).put(v).put((byte) 0);
        pad(b, len);
    }

    private static int nestStart(ByteBuffer b, int type) {
        int at = b.position();
        b.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
        return at;
    }

    private static void nestEnd(ByteBuffer b, int at) { b.putShort(at, (short) (b.position() - at)); }

    private static void pad(ByteBuffer b, int len) {
        for (int i = len; i < align(len); i++) b.put((byte) 0);
    }

    private static int align(int n) { return (n + 3) & ~3; }

    /** Walks the attributes after the nfgenmsg of a NEWSETELEM message. */
    private static void parseElements(ByteBuffer b, int end, Map<Long, Long> out) {
        b.position(b.position() + 4); // nfgenmsg
        while (b.position() + 4 <= end) {
            int at = b.position(), len = b.getShort() & 0xffff, type = b.getShort() & NLA_TYPE_MASK;
            if (len < 4) break;
            if (type == NFTA_SET_ELEM_LIST_ELEMENTS) {
                int listEnd = at + len;
                while (b.position() + 4 <= listEnd) {
                    int eAt = b.position(), eLen = b.getShort() & 0xffff;
                    b.getShort();
                    if (eLen < 4) break;
                    parseElement(b, eAt + eLen, out);
                    b.position(eAt + align(eLen));
                }
            }
            b.position(at + align(len));
        }
    }

    private static void parseElement(ByteBuffer b, int end, Map<Long, Long> out) {
        long key = -1, timeoutMs = 0, expirationMs = -1;
        while (b.position() + 4 <= end) {
            int at = b.position(), len = b.getShort() & 0xffff, type = b.getShort() & NLA_TYPE_MASK;
            if (len < 4) break;
            if (type == NFTA_SET_ELEM_KEY) {
                b.getShort(); b.getShort(); // NFTA_DATA_VALUE header
                key = b.getInt() & 0xffffffffL;
            } else if (type == NFTA_SET_ELEM_TIMEOUT) {
                timeoutMs = b.order(ByteOrder.BIG_ENDIAN).getLong();
                b.order(ByteOrder.nativeOrder());
            } else if (type == NFTA_SET_ELEM_EXPIRATION) {
                expirationMs = b.order(ByteOrder.BIG_ENDIAN).getLong();
                b.order(ByteOrder.nativeOrder());
            }
            b.position(at + align(len));
        }
        if (key >= 0) out.put(key, (expirationMs >= 0 ? expirationMs : timeoutMs) / 1000);
    }

    private static String errnoText(int errno) {
        return switch (errno) {
            case 1 -> "Operation not permitted";
            case 2 -> "No such file or directory";
            case 22 -> "Invalid argument";
            default -> "errno " + errno;
        };
    }

    /** Measures both paths: {@code NftNetlink SET [LOOKUP_KEYS_FROM LOOKUP_COUNT]}. */
    public static void main(String[] args) {
        NftNetlink n = new NftNetlink("dhcp_inspection");
        long t0 = System.nanoTime();
        Map<Long, Long> all = n.dump(args[0]);
        long t1 = System.nanoTime();
        System.out.printf("dump %s: %d elements in %.2f s%n", args[0], all.size(), (t1 - t0) / 1e9);
        if (args.length > 2) {
            long from = Long.decode(args[1]);
            int count = Integer.parseInt(args[2]);
            java.util.List<Long> keys = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) keys.add(from + i);
            long t2 = System.nanoTime();
            Map<Long, Long> found = n.lookup(args[0], keys);
            long t3 = System.nanoTime();
            System.out.printf("lookup %d keys from 0x%x: %d present in %.3f s%n", count, from, found.size(), (t3 - t2) / 1e9);
        }
    }
}
