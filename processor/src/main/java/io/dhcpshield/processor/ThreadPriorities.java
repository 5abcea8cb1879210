package io.dhcpshield.processor;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Inspection before observability on a saturated box ({@code nfqueue.background_nice}): every thread of the daemon
 * but the queues' event loops (and the JVM's GC and VM threads, which stop the loops while they run, and the
 * watchdog's pinger) gets a lower CPU priority, {@code setpriority(2)} on its thread id. When the two cores cannot
 * serve both, the verdict path keeps its CPU and the event subscribers (the ClickHouse writer, alarms, the API's
 * stream) fall behind, so their bounded buffers drop events, counted, instead of the kernel's queue filling and
 * fail-open passing packets uninspected. Threads appear over time (pools, the JIT), so the threads are looked at
 * again every few seconds; a thread is set once. Raising the value needs no privilege. A thread already at that nice
 * or lower in priority (a daemon started niced) is left as it is: this never raises a thread's priority.
 */
final class ThreadPriorities implements Service {

    private static final Logger log = LoggerFactory.getLogger(ThreadPriorities.class);
    private static final Duration RESCAN = Duration.ofSeconds(5);
    private static final int PRIO_PROCESS = 0;
    private static final Path TASKS = Path.of("/proc/self/task");

    private static final class LibC {
        static {
            Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        static native int setpriority(int which, int who, int prio);
    }

    private final int nice;
    private final Scheduler scheduler;
    /** Thread ids already looked at (lowered or kept), pruned to the live ones on every pass. */
    private final Set<Integer> seen = new HashSet<>();
    private volatile long lowered;
    private volatile long kept;
    private volatile long errors;
    private Disposable task;

    ThreadPriorities(int nice, Scheduler scheduler) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice must be 0..19, was " + nice);
        }
        this.nice = nice;
        this.scheduler = scheduler;
    }

    /**
     * Whether a thread of this name keeps the daemon's priority: the verdict path, what it waits on, and the main
     * thread ({@code java}), whose later threads would otherwise inherit the lower priority (only root may raise it
     * back, so the service starts after the queues' event loops exist).
     */
    static boolean keepsPriority(String threadName) {
        return threadName.startsWith("nfqueue-") || threadName.startsWith("GC Thread") || threadName.startsWith("VM ")
                || threadName.startsWith("systemd-notify") || threadName.equals("java") || threadName.equals("main");
    }

    @Override
    public String name() {
        return "thread-priorities";
    }

    @Override
    public void start() {
        scan();
        task = scheduler.schedulePeriodically(this::scan, RESCAN.toMillis(), RESCAN.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (task != null) {
            task.dispose();
        }
    }

    /** One pass over the live threads; synchronized with itself only (start and the periodic task). */
    synchronized void scan() {
        Set<Integer> live = new HashSet<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path t : tasks) {
                int tid;
                try {
                    tid = Integer.parseInt(t.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                live.add(tid);
                if (seen.contains(tid)) {
                    continue;
                }
                String name;
                try {
                    name = Files.readString(t.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                seen.add(tid);
                if (keepsPriority(name)) {
                    kept++;
                } else if (niceOf(t) >= nice || LibC.setpriority(PRIO_PROCESS, tid, nice) == 0) {
                    lowered++;
                } else {
                    int errno = Native.getLastError();
                    if (errors++ == 0) {
                        log.warn("cannot lower the priority of thread {} ({}): errno {}", tid, name, errno);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            errors++;
            log.debug("thread priorities: {}", e.toString());
        }
        seen.retainAll(live);
    }

    /** Field 19 of the thread's stat (after the parenthesised name): its nice; -20 when it cannot be read. */
    static int niceOf(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[16]);
        } catch (IOException | RuntimeException e) {
            return -20;
        }
    }

    @Override
    public void metrics(MetricWriter out) {
        out.gauge("thread_priority_nice", "the nice value of every thread but the verdict path's", nice);
        out.counter("thread_priority_lowered", "threads at the lower priority (given it, or already that low)",
                lowered);
        out.counter("thread_priority_kept", "threads that keep the daemon's priority (queue event loops, GC, VM)",
                kept);
        out.counter("thread_priority_errors", "threads whose priority could not be set", errors);
    }
}
