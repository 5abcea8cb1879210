package io.dhcpshield.transport.nfqueue;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One native call of the read loop through each path ({@link DataPathCalls}: JNA's direct mapping or the FFM API):
 * {@code send} and {@code recvmmsg} on a closed descriptor, so the kernel answers EBADF at once and what is left is
 * the call's own cost (the libc wrapper, the syscall's entry and exit, and the Java side with its errno). Checked:
 * every call returned -EBADF.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class NativeCallBenchmark {

    @Param({"jna", "ffm"})
    public String kind;

    private DataPathCalls calls;

    @Setup
    public void setUp() {
        calls = kind.equals("jna") ? new DataPathCalls.Jna() : new DataPathCalls.Ffm();
        if (calls.send(-1, 0L, 0) != -Syscalls.EBADF || calls.receive(-1, 0L, 1) != -Syscalls.EBADF) {
            throw new IllegalStateException(kind + ": a call on a closed descriptor did not answer -EBADF");
        }
    }

    @Benchmark
    public int send() {
        int r = calls.send(-1, 0L, 0);
        if (r != -Syscalls.EBADF) {
            throw new IllegalStateException("send answered " + r);
        }
        return r;
    }

    @Benchmark
    public int recvmmsg() {
        int r = calls.receive(-1, 0L, 1);
        if (r != -Syscalls.EBADF) {
            throw new IllegalStateException("recvmmsg answered " + r);
        }
        return r;
    }
}
