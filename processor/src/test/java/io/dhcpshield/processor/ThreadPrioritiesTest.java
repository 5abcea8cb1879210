package io.dhcpshield.processor;

import io.dhcpshield.core.metrics.MetricWriter;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdict path keeps the daemon's CPU priority; every other thread is niced (read back from /proc). */
class ThreadPrioritiesTest {

    /** A thread of this name that parks until released, with its thread id. */
    private static final class Parked implements AutoCloseable {
        final Thread thread;
        final AtomicInteger tid = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Parked(String name) throws InterruptedException {
            thread = new Thread(() -> {
                tid.set(Integer.parseInt(readLink("/proc/thread-self").replaceAll(".*/", "")));
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, name);
            thread.start();
            started.await();
        }

        /** The thread's nice value, read back from /proc. */
        int nice() {
            return ThreadPriorities.niceOf(Path.of("/proc/self/task/" + tid.get()));
        }

        @Override
        public void close() throws InterruptedException {
            release.countDown();
            thread.join();
        }

        private static String readLink(String p) {
            try {
                return Files.readSymbolicLink(Path.of(p)).toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** This thread's nice: the test may run niced (the daemon's priority is whatever it was started with). */
    private static int ownNice() {
        return ThreadPriorities.niceOf(Path.of("/proc/thread-self"));
    }

    @Test
    void everyThreadButTheQueueLoopsGCAndVmIsNicedAndLaterThreadsToo() throws Exception {
        ThreadPriorities priorities = new ThreadPriorities(7, Schedulers.immediate());
        int base = ownNice();
        int lowered = Math.max(base, 7);
        // This thread stands for the queue loop that makes threads: named like one, it keeps its priority, so a
        // thread it starts after the first pass starts at that priority too (Linux threads inherit their creator's
        // nice).
        String ownName = Thread.currentThread().getName();
        Thread.currentThread().setName("nfqueue-test");
        try (Parked loop = new Parked("nfqueue-1-1"); Parked writer = new Parked("clickhouse-writer");
             Parked api = new Parked("reactor-http-epoll-1")) {
            assertEquals(base, loop.nice());
            assertEquals(base, writer.nice());
            priorities.scan();
            assertEquals(base, loop.nice(), "the verdict path keeps its priority");
            assertEquals(lowered, writer.nice());
            assertEquals(lowered, api.nice());
            try (Parked later = new Parked("alarms-2")) {
                assertEquals(base, later.nice(), "made by a thread that kept its priority");
                priorities.scan();
                assertEquals(lowered, later.nice(), "the next pass finds it");
            }
        } finally {
            Thread.currentThread().setName(ownName);
        }
        Map<String, Double> m = metrics(priorities);
        assertTrue(m.get("thread_priority_lowered") >= 4, m.toString());
        assertTrue(m.get("thread_priority_kept") >= 1, m.toString());
        assertEquals(0, m.get("thread_priority_errors"), m.toString());
        assertEquals(7, m.get("thread_priority_nice"));
    }

    @Test
    void aThreadAlreadyNicerThanTheSettingIsNeverRaised() throws Exception {
        ThreadPriorities priorities = new ThreadPriorities(7, Schedulers.immediate());
        try (Parked niced = new Parked("clickhouse-writer")) {
            Process renice = new ProcessBuilder("renice", "-n", "12", "-p", Integer.toString(niced.tid.get()))
                    .redirectErrorStream(true).start();
            assertEquals(0, renice.waitFor(), new String(renice.getInputStream().readAllBytes()));
            assertEquals(12, niced.nice());
            priorities.scan();
            assertEquals(12, niced.nice(), "left at 12, not raised to 7");
        }
        Map<String, Double> m = metrics(priorities);
        assertEquals(0, m.get("thread_priority_errors"), m.toString());
    }

    @Test
    void namesThatKeepThePriority() {
        assertTrue(ThreadPriorities.keepsPriority("nfqueue-2-1"));
        assertTrue(ThreadPriorities.keepsPriority("GC Thread#1"));
        assertTrue(ThreadPriorities.keepsPriority("VM Thread"));
        assertTrue(ThreadPriorities.keepsPriority("systemd-notify"));
        assertTrue(ThreadPriorities.keepsPriority("java"), "the main thread: threads it makes later start at 0");
        assertFalse(ThreadPriorities.keepsPriority("housekeeping-1"));
        assertFalse(ThreadPriorities.keepsPriority("C2 CompilerThre"));
        assertFalse(ThreadPriorities.keepsPriority("ClickHouseWorke"));
    }

    @Test
    void aNiceOutsideZeroToNineteenIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ThreadPriorities(20, Schedulers.immediate()));
        assertThrows(IllegalArgumentException.class, () -> new ThreadPriorities(-1, Schedulers.immediate()));
    }

    private static Map<String, Double> metrics(ThreadPriorities p) {
        Map<String, Double> out = new HashMap<>();
        p.metrics(new MetricWriter() {
            @Override
            public void counter(String name, String help, long value, String... labels) {
                out.put(name, (double) value);
            }

            @Override
            public void gauge(String name, String help, double value, String... labels) {
                out.put(name, value);
            }

            @Override
            public void histogram(String name, String help, io.dhcpshield.core.metrics.Log2Histogram.Snapshot h,
                                  double scale, String... labels) {
            }
        });
        return out;
    }
}
