package io.dhcpshield.microbench;

import io.dhcpshield.core.event.EventFanout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.scheduler.Schedulers;

/**
 * The fan-out's own cost per event and subscriber, publisher and subscriber side together: a read's 64 events
 * published as one array to {@code subscribers} counting subscribers whose drains run inline
 * ({@code Schedulers.immediate()}: each publish fills half a buffer, which drains at once), so one thread pays the
 * whole path: the buffer offer, the drain, the demand and {@code onNext}. The number is per event; the subscribers'
 * counts are checked at the end (every event delivered to every subscriber, none dropped).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class FanoutBenchmark {

    private static final int READ = 64;

    @Param({"1", "3"})
    public int subscribers;

    private final EventFanout<Object> fanout = new EventFanout<>();
    private final LongAdder delivered = new LongAdder();
    private final Object[] read = new Object[READ];

    @Setup(Level.Trial)
    public void setUp() {
        for (int i = 0; i < subscribers; i++) {
            // Capacity 2 x READ: every publish reaches the half-full mark and drains inline.
            fanout.subscribe("bench-" + i, 2 * READ, Schedulers.immediate()).subscribe(e -> delivered.increment());
        }
        for (int i = 0; i < READ; i++) {
            read[i] = Integer.valueOf(i);
        }
    }

    @TearDown(Level.Trial)
    public void counts() {
        long published = fanout.published();
        long dropped = fanout.stats().stream().mapToLong(EventFanout.SubscriberStats::dropped).sum();
        System.out.printf("%n[%d subscribers] published %,d, delivered %,d, dropped %,d%n", subscribers, published,
                delivered.sum(), dropped);
        if (delivered.sum() != published * subscribers || dropped != 0) {
            throw new IllegalStateException("not every event reached every subscriber");
        }
    }

    @Benchmark
    @OperationsPerInvocation(READ)
    public long publishRead() {
        fanout.publishAll(read, READ);
        return delivered.sum();
    }
}
