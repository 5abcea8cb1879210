package io.dhcpshield.transport.nfqueue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two native calls of the read loop, once or twice per read: {@code recvmmsg(MSG_DONTWAIT)} and {@code send} of
 * the verdicts. On JDK 22 and later they go through the Java FFM API (a downcall that captures {@code errno}); on
 * older JDKs, or with {@code -D}{@value #PROPERTY}{@code =jna}, through JNA's direct mapping ({@link Syscalls}), as
 * every other call of this package does. A JNA call spends its time in JNA's dispatch and {@code errno} bookkeeping
 * (in a perf profile of the loop at 100k packets/s JNA's library took 1.6 % of the loop's samples, more than the
 * verdict encoding's 0.9 %; {@code NativeCallBenchmark}: 170-300 ns more a call than a downcall handle, which the JIT
 * compiles inline and which costs a thread-state transition).
 *
 * <p>The source is compiled for Java 17, so the FFM classes are looked up by reflection once; the calls themselves
 * go through {@code static final} method handles that the JIT treats as constants. Each instance holds its own
 * {@code errno} capture buffer: one per socket, used by the socket's event loop only.
 */
abstract class DataPathCalls {

    private static final Logger log = LoggerFactory.getLogger(DataPathCalls.class);
    /** System property that picks the implementation: {@code auto} (the default), {@code ffm} or {@code jna}. */
    static final String PROPERTY = "dhcpshield.nfqueue.calls";

    /** "ffm" or "jna". */
    abstract String kind();

    /** recvmmsg(fd, vector, count, MSG_DONTWAIT, NULL): the number of datagrams, or -errno. */
    abstract int receive(int fd, long vector, int count);

    /** send(fd, address, length, 0): the bytes sent, or -errno. */
    abstract int send(int fd, long address, int length);

    /** The implementation the property asks for; {@code auto} takes FFM when this JDK has it. */
    static DataPathCalls create() {
        String wanted = System.getProperty(PROPERTY, "auto");
        switch (wanted) {
            case "jna":
                return new Jna();
            case "ffm":
                if (Ffm.UNAVAILABLE != null) {
                    throw new IllegalStateException("-D" + PROPERTY + "=ffm: the FFM API is not usable on Java "
                            + Runtime.version() + ": " + Ffm.UNAVAILABLE);
                }
                return new Ffm();
            case "auto":
                return Ffm.UNAVAILABLE == null ? new Ffm() : new Jna();
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + " must be auto, ffm or jna, was " + wanted);
        }
    }

    /** Why FFM is not used on this JDK, or null when it is available. */
    static Throwable ffmUnavailable() {
        return Ffm.UNAVAILABLE;
    }

    /** JNA's direct mapping, errno from JNA's per-thread copy. */
    static final class Jna extends DataPathCalls {
        @Override
        String kind() {
            return "jna";
        }

        @Override
        int receive(int fd, long vector, int count) {
            int n = Syscalls.recvmmsg(fd, vector, count, Syscalls.MSG_DONTWAIT, 0L);
            return n >= 0 ? n : -Syscalls.errno();
        }

        @Override
        int send(int fd, long address, int length) {
            long n = Syscalls.send(fd, address, length, 0);
            return n >= 0 ? (int) n : -Syscalls.errno();
        }
    }

    /** FFM downcalls with {@code errno} captured into this instance's buffer. */
    static final class Ffm extends DataPathCalls {
        /** (Object state, int fd, long vector, int count, int flags, long timeout) -> int */
        private static final MethodHandle RECVMMSG;
        /** (Object state, int fd, long buffer, long length, int flags) -> long */
        private static final MethodHandle SEND;
        /** MemorySegment.ofBuffer(Buffer) as (Buffer) -> Object */
        private static final MethodHandle OF_BUFFER;
        private static final int STATE_BYTES;
        private static final int ERRNO_OFFSET;
        /** Why the FFM API could not be set up, or null. */
        static final Throwable UNAVAILABLE;

        /** What {@link #link} builds once. */
        private record Linked(MethodHandle recvmmsg, MethodHandle send, MethodHandle ofBuffer, int stateBytes,
                              int errnoOffset) {
        }

        static {
            Linked linked = null;
            Throwable unavailable = null;
            if (Runtime.version().feature() < 22) {
                unavailable = new UnsupportedOperationException("the FFM API is final from Java 22 on");
            } else {
                try {
                    linked = link();
                } catch (Throwable t) {
                    unavailable = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
                            ? t.getCause() : t;
                }
            }
            if (unavailable != null) {
                log.debug("nfqueue: the FFM API is not used ({}); JNA makes the data-path calls",
                        unavailable.toString());
            }
            RECVMMSG = linked != null ? linked.recvmmsg() : null;
            SEND = linked != null ? linked.send() : null;
            OF_BUFFER = linked != null ? linked.ofBuffer() : null;
            STATE_BYTES = linked != null ? linked.stateBytes() : 0;
            ERRNO_OFFSET = linked != null ? linked.errnoOffset() : 0;
            UNAVAILABLE = unavailable;
        }

        /** Looks the FFM API up by reflection, links the two downcalls and makes one call end to end. */
        private static Linked link() throws Throwable {
            Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
            Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> pathClass = Class.forName("java.lang.foreign.MemoryLayout$PathElement");
            Class<?> valueLayoutClass = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");

            Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
            Object javaInt = valueLayoutClass.getField("JAVA_INT").get(null);
            // Pointers are passed as 64-bit integers: on x86-64 (the platform of this package's constants) both
            // travel in general-purpose registers.
            Object javaLong = valueLayoutClass.getField("JAVA_LONG").get(null);
            Object capture = optionClass.getMethod("captureCallState", String[].class)
                    .invoke(null, (Object) new String[] {"errno"});
            Object stateLayout = optionClass.getMethod("captureStateLayout").invoke(null);
            int stateBytes = Math.toIntExact((long) layoutClass.getMethod("byteSize").invoke(stateLayout));
            Object path = Array.newInstance(pathClass, 1);
            Array.set(path, 0, pathClass.getMethod("groupElement", String.class).invoke(null, "errno"));
            int errnoOffset = Math.toIntExact((long) layoutClass.getMethod("byteOffset", path.getClass())
                    .invoke(stateLayout, path));
            Object options = Array.newInstance(optionClass, 1);
            Array.set(options, 0, capture);

            var of = descriptorClass.getMethod("of", layoutClass, layoutClass.arrayType());
            var downcall = linkerClass.getMethod("downcallHandle", segmentClass, descriptorClass,
                    optionClass.arrayType());
            var find = lookupClass.getMethod("find", String.class);

            Object recvmmsgDescriptor = of.invoke(null, javaInt,
                    layouts(layoutClass, javaInt, javaLong, javaInt, javaInt, javaLong));
            Object recvmmsgSymbol = ((Optional<?>) find.invoke(lookup, "recvmmsg")).orElseThrow();
            MethodHandle recvmmsg = ((MethodHandle) downcall.invoke(linker, recvmmsgSymbol, recvmmsgDescriptor,
                    options)).asType(MethodType.methodType(int.class, Object.class, int.class, long.class, int.class,
                    int.class, long.class));

            Object sendDescriptor = of.invoke(null, javaLong,
                    layouts(layoutClass, javaInt, javaLong, javaLong, javaInt));
            Object sendSymbol = ((Optional<?>) find.invoke(lookup, "send")).orElseThrow();
            MethodHandle send = ((MethodHandle) downcall.invoke(linker, sendSymbol, sendDescriptor, options))
                    .asType(MethodType.methodType(long.class, Object.class, int.class, long.class, long.class,
                            int.class));

            MethodHandle ofBuffer = MethodHandles.publicLookup()
                    .findStatic(segmentClass, "ofBuffer", MethodType.methodType(segmentClass, Buffer.class))
                    .asType(MethodType.methodType(Object.class, Buffer.class));
            // One call end to end, so a JDK that links but cannot call (native access denied) falls back to JNA.
            Ffm probe = new Ffm(ofBuffer, stateBytes, errnoOffset);
            long result = (long) send.invokeExact(probe.state, -1, 0L, 0L, 0);
            if (result != -1 || probe.errno() != Syscalls.EBADF) {
                throw new IllegalStateException("send(-1) through FFM returned " + result + ", errno "
                        + probe.errno());
            }
            return new Linked(recvmmsg, send, ofBuffer, stateBytes, errnoOffset);
        }

        private static Object layouts(Class<?> layoutClass, Object... layouts) {
            Object array = Array.newInstance(layoutClass, layouts.length);
            for (int i = 0; i < layouts.length; i++) {
                Array.set(array, i, layouts[i]);
            }
            return array;
        }

        /** The errno capture buffer, and the MemorySegment over it that each call is given. */
        private final ByteBuffer stateBuffer;
        private final Object state;
        private final int errnoOffset;

        Ffm() {
            this(OF_BUFFER, STATE_BYTES, ERRNO_OFFSET);
        }

        private Ffm(MethodHandle ofBuffer, int stateBytes, int errnoOffset) {
            this.errnoOffset = errnoOffset;
            this.stateBuffer = ByteBuffer.allocateDirect(Math.max(stateBytes, errnoOffset + 4))
                    .order(ByteOrder.nativeOrder());
            try {
                this.state = (Object) ofBuffer.invokeExact((Buffer) stateBuffer);
            } catch (Throwable t) {
                throw new IllegalStateException("MemorySegment.ofBuffer failed", t);
            }
        }

        private int errno() {
            return stateBuffer.getInt(errnoOffset);
        }

        @Override
        String kind() {
            return "ffm";
        }

        @Override
        int receive(int fd, long vector, int count) {
            int n;
            try {
                n = (int) RECVMMSG.invokeExact(state, fd, vector, count, Syscalls.MSG_DONTWAIT, 0L);
            } catch (Throwable t) {
                throw new IllegalStateException("recvmmsg downcall failed", t);
            }
            return n >= 0 ? n : -errno();
        }

        @Override
        int send(int fd, long address, int length) {
            long n;
            try {
                n = (long) SEND.invokeExact(state, fd, address, (long) length, 0);
            } catch (Throwable t) {
                throw new IllegalStateException("send downcall failed", t);
            }
            return n >= 0 ? (int) n : -errno();
        }
    }
}
