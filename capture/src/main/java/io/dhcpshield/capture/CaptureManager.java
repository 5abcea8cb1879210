package io.dhcpshield.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.core.event.DhcpEvent;
import io.dhcpshield.core.event.EventFanout;
import io.dhcpshield.core.mark.PacketMark;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Readiness;
import io.dhcpshield.core.service.Service;
import io.dhcpshield.core.time.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * On-demand packet capture as a daemon service ({@code capture}): sessions that write the packets of the events
 * their filter selects to a pcapng file each, until their packet, byte or time limit or an operator stops them.
 *
 * <p>Capture is fed by the event fan-out, never by the verdict path: while at least one session runs it holds a
 * subscription of {@code capture.buffer} events (the publisher never waits: a full buffer drops and counts), and it
 * lets go when none does, so an idle capture costs the verdict path nothing. Events are filtered and written on the
 * {@code scheduler} given (a single thread of capture's own), which also runs the time limits and the hourly
 * retention pass. API calls take the same lock as the writer, never the verdict path's.
 *
 * <p>Files are {@code <id>.pcapng} with a sidecar {@code <id>.json} (the session's JSON) in {@code capture.dir}; the
 * id is generated and checked against the UUID pattern before any path is built from it, so nothing an operator types
 * reaches a path. A restart lists earlier captures from their sidecars (a session found running is cut back to its
 * last whole block and marked stopped, reason {@code shutdown}). Retention removes the oldest finished captures
 * while the directory holds more than {@code capture.max_total_bytes}, and any older than
 * {@code capture.max_age_hours}: at start, after each session stops, and hourly.
 */
public final class CaptureManager implements Service {

    /** The fan-out subscriber name (and its {@code fanout_*{subscriber="capture"}} series). */
    public static final String SUBSCRIBER = "capture";

    private static final Logger log = LoggerFactory.getLogger(CaptureManager.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String APPLICATION = "DHCP Shield";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CREATED_BY = 200;

    /** Why a packet capture wanted, or was handed, is not in a file. */
    public enum Drop {
        /** The fan-out's buffer for capture was full (or still held events when the last session stopped). */
        QUEUE_FULL,
        /** The event carries no packet bytes (built from fields, not on the verdict path). */
        NO_PACKET,
        /** The packet's framing has no pcap link type. */
        UNSUPPORTED_LINK,
        /** A session's file would have passed its {@code max_bytes}. */
        BYTES_LIMIT,
        /** A session's file could not be written. */
        WRITE_ERROR,
        /** Handling the event failed unexpectedly (logged). */
        FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Capture's counters.
     *
     * @param offered     events the fan-out handed to capture (only while a session runs)
     * @param matched     packets a running session's filter selected, once per session
     * @param written     packets written, once per session
     * @param filteredOut events no running session selected
     * @param dropped     packets lost by {@link Drop} label, every reason present
     */
    public record Counters(long offered, long matched, long written, long writtenBytes, long filteredOut,
                           Map<String, Long> dropped, long writeErrors, long loadErrors, long sessionsStarted,
                           Map<String, Long> sessionsStopped, Map<String, Long> retentionRemoved, int running) {
    }

    /** What the capture directory holds: running files included. */
    public record Storage(long bytes, int files, long maxBytes, int maxAgeHours) {
    }

    /**
     * A capture file opened for download: {@code length} bytes of whole blocks (a running capture's file as it
     * stood when opened). The stream reads only those; close it.
     */
    public record Download(CaptureSession session, long length, InputStream stream) implements Closeable {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    private final CaptureConfig config;
    private final EventFanout<DhcpEvent> events;
    private final Time time;
    private final Scheduler scheduler;

    // Guarded by this.
    private final Map<String, Recording> running = new LinkedHashMap<>();
    /** The running sessions as the writer walks them; replaced, never changed, when one starts or stops. */
    private Recording[] writing = new Recording[0];
    private final Map<String, CaptureSession> finished = new HashMap<>();
    private Disposable subscription;
    private Disposable housekeeping;
    /** Why sessions cannot start (not started, the directory unusable, stopped); null when they can. */
    private String unusable = "not started";

    private final LongAdder offered = new LongAdder();
    private final LongAdder matched = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder writtenBytes = new LongAdder();
    private final LongAdder filteredOut = new LongAdder();
    private final LongAdder writeErrors = new LongAdder();
    private final LongAdder loadErrors = new LongAdder();
    private final LongAdder sessionsStarted = new LongAdder();
    private final Map<Drop, LongAdder> dropped = new EnumMap<>(Drop.class);
    private final Map<StopReason, LongAdder> sessionsStopped = new EnumMap<>(StopReason.class);
    private final LongAdder removedBySize = new LongAdder();
    private final LongAdder removedByAge = new LongAdder();

    /**
     * @param events    the daemon's event fan-out
     * @param time      the clock of start and stop times and of the age limit
     * @param scheduler capture's own single-threaded scheduler: writing, time limits, retention
     */
    public CaptureManager(CaptureConfig config, EventFanout<DhcpEvent> events, Time time, Scheduler scheduler) {
        this.config = Objects.requireNonNull(config, "config");
        this.events = Objects.requireNonNull(events, "events");
        this.time = Objects.requireNonNull(time, "time");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        for (Drop d : Drop.values()) {
            dropped.put(d, new LongAdder());
        }
        for (StopReason r : StopReason.values()) {
            sessionsStopped.put(r, new LongAdder());
        }
    }

    @Override
    public String name() {
        return "capture";
    }

    /**
     * Makes the directory (owner only) if needed, lists the captures of earlier runs and applies retention. A
     * directory that cannot be used does not stop the daemon: capture reports not ready, saying why, and refuses
     * sessions.
     */
    @Override
    public synchronized void start() {
        try {
            createDirectory(config.dir());
            load();
            unusable = null;
            retention();
        } catch (IOException | RuntimeException e) {
            unusable = "capture.dir " + config.dir() + " unusable: " + e;
            log.error("capture: {}", unusable);
        }
        housekeeping = scheduler.schedulePeriodically(this::hourly, 1, 1, TimeUnit.HOURS);
        log.info("capture: {} earlier captures in {}", finished.size(), config.dir());
    }

    /** Stops every running session (reason {@code shutdown}), closing its file, and lets go of the fan-out. */
    @Override
    public synchronized void stop() {
        for (Recording r : writing) {
            finish(r, StopReason.SHUTDOWN);
        }
        if (housekeeping != null) {
            housekeeping.dispose();
        }
        unsubscribe();
        unusable = "stopped";
    }

    /**
     * Starts a session; its file is written from the next event on.
     *
     * @param createdBy who asks (shown, stored in the sidecar; never part of a path)
     * @throws CaptureRequestException when the request's limits are outside {@code capture.max_limits}
     * @throws IllegalStateException   when {@code capture.max_sessions} are running or capture cannot write
     * @throws UncheckedIOException    when the files cannot be created
     */
    public synchronized CaptureSession startCapture(CaptureRequest request, String createdBy) {
        Objects.requireNonNull(request, "request");
        request.check(config);
        if (unusable != null) {
            throw new IllegalStateException("capture is not available: " + unusable);
        }
        if (running.size() >= config.maxSessions()) {
            throw new IllegalStateException(running.size() + " captures are running, the most capture.max_sessions "
                    + "allows; stop one first");
        }
        String id = UUID.randomUUID().toString();
        String by = createdBy == null ? "" : createdBy.length() > MAX_CREATED_BY
                ? createdBy.substring(0, MAX_CREATED_BY) : createdBy;
        Instant now = time.now();
        Recording r = new Recording(id, request, by, now);
        try {
            // The sidecar first: a file on disk always has one, so a restart finds it.
            writeSidecar(r.snapshot());
            r.writer = PcapngWriter.create(file(id), APPLICATION);
        } catch (IOException e) {
            writeErrors.increment();
            deleteQuietly(id);
            throw new UncheckedIOException("capture " + id + " could not be created in " + config.dir(), e);
        }
        running.put(id, r);
        writing = running.values().toArray(new Recording[0]);
        r.timer = scheduler.schedule(() -> timeUp(r), request.limits().maxSeconds(), TimeUnit.SECONDS);
        sessionsStarted.increment();
        if (subscription == null) {
            subscription = events.subscribe(SUBSCRIBER, config.buffer(), scheduler)
                    .subscribe(this::onEvent, e -> log.error("capture: event subscription ended", e));
        }
        log.info("capture {} started by {}: filter {}, limits {}", id, by, CaptureJson.filter(request.filter()),
                request.limits());
        return r.snapshot();
    }

    /** Stops a running session (reason {@code operator}); a stopped one is returned as it is. Empty when unknown. */
    public synchronized Optional<CaptureSession> stopCapture(String id) {
        checkId(id);
        Recording r = running.get(id);
        if (r != null) {
            finish(r, StopReason.OPERATOR);
        }
        return get(id);
    }

    /** Every session, the newest first. */
    public synchronized List<CaptureSession> list() {
        List<CaptureSession> out = new ArrayList<>(running.size() + finished.size());
        running.values().forEach(r -> out.add(r.snapshot()));
        out.addAll(finished.values());
        out.sort(Comparator.comparing(CaptureSession::startedAt).reversed().thenComparing(CaptureSession::id));
        return out;
    }

    /** A session; empty when there is none of that id. */
    public synchronized Optional<CaptureSession> get(String id) {
        checkId(id);
        Recording r = running.get(id);
        return Optional.ofNullable(r != null ? r.snapshot() : finished.get(id));
    }

    /** Removes a session and its files, stopping it first if it runs; false when there is none of that id. */
    public synchronized boolean delete(String id) {
        checkId(id);
        Recording r = running.get(id);
        if (r != null) {
            finish(r, StopReason.OPERATOR);
        }
        if (finished.remove(id) == null) {
            return false;
        }
        deleteQuietly(id);
        return true;
    }

    /**
     * Opens a session's file for download: a finished file whole, a running one up to its last whole block. Empty
     * when there is no session of that id (or its file was removed meanwhile).
     */
    public Optional<Download> open(String id) {
        checkId(id);
        CaptureSession s = get(id).orElse(null);
        if (s == null) {
            return Optional.empty();
        }
        try {
            FileChannel ch = FileChannel.open(file(id), StandardOpenOption.READ);
            return Optional.of(new Download(s, s.fileBytes(), new FileRange(ch, s.fileBytes())));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty(); // deleted (or removed by retention) since it was listed
        } catch (IOException e) {
            throw new UncheckedIOException("capture " + id + " could not be opened", e);
        }
    }

    /** Completes with the session once it has stopped (at once for a stopped one); empty when unknown. */
    public synchronized Mono<CaptureSession> stopped(String id) {
        checkId(id);
        Recording r = running.get(id);
        if (r != null) {
            return r.done.asMono();
        }
        return Mono.justOrEmpty(finished.get(id));
    }

    public Counters counters() {
        Map<String, Long> drops = new LinkedHashMap<>();
        for (Drop d : Drop.values()) {
            drops.put(d.label(), dropped(d));
        }
        Map<String, Long> stops = new LinkedHashMap<>();
        sessionsStopped.forEach((r, n) -> stops.put(r.label(), n.sum()));
        int n;
        synchronized (this) {
            n = running.size();
        }
        return new Counters(offered.sum(), matched.sum(), written.sum(), writtenBytes.sum(), filteredOut.sum(), drops,
                writeErrors.sum(), loadErrors.sum(), sessionsStarted.sum(), stops,
                Map.of("size", removedBySize.sum(), "age", removedByAge.sum()), n);
    }

    public synchronized Storage storage() {
        return new Storage(storedBytes(), running.size() + finished.size(), config.maxTotalBytes(),
                config.maxAgeHours());
    }

    public CaptureConfig config() {
        return config;
    }

    @Override
    public Readiness readiness() {
        String why;
        int n;
        synchronized (this) {
            why = unusable;
            n = running.size();
        }
        Storage s = storage();
        Readiness r = why == null ? Readiness.up() : Readiness.notReady(why);
        return r.with("running", n).with("captures", s.files()).with("bytes", s.bytes());
    }

    @Override
    public void metrics(MetricWriter out) {
        Counters c = counters();
        Storage s = storage();
        out.counter("capture_events_offered", "events the fan-out handed to capture while a session ran", c.offered());
        out.counter("capture_packets_matched", "packets a running capture's filter selected (once per session)",
                c.matched());
        out.counter("capture_packets_written", "packets written to capture files (once per session)", c.written());
        out.counter("capture_bytes_written", "packet bytes written to capture files", c.writtenBytes());
        out.counter("capture_events_filtered_out", "events no running capture selected", c.filteredOut());
        c.dropped().forEach((reason, v) -> out.counter("capture_dropped", "packets capture lost, by reason", v,
                "reason", reason));
        out.counter("capture_write_errors", "capture files or sidecars that could not be written, closed or removed",
                c.writeErrors());
        out.counter("capture_load_errors", "sidecars of earlier captures that could not be read at start",
                c.loadErrors());
        out.counter("capture_sessions_started", "capture sessions started", c.sessionsStarted());
        c.sessionsStopped().forEach((reason, v) -> out.counter("capture_sessions_stopped",
                "capture sessions stopped, by reason", v, "reason", reason));
        out.gauge("capture_sessions_running", "capture sessions running", c.running());
        c.retentionRemoved().forEach((reason, v) -> out.counter("capture_retention_removed",
                "finished captures removed by retention, by reason", v, "reason", reason));
        out.gauge("capture_storage_bytes", "bytes of the capture files (running ones included)", s.bytes());
        out.gauge("capture_storage_files", "capture files kept", s.files());
    }

    // ---------------------------------------------------------------- the writer's side

    /** One event, on capture's thread: every running session whose filter selects it gets its packet. */
    private void onEvent(DhcpEvent e) {
        offered.increment();
        try {
            ByteBuffer packet = e.packet();
            if (packet == null) {
                dropped.get(Drop.NO_PACKET).increment();
                return;
            }
            int linkType = e.framing() != null ? e.framing().linkType() : -1;
            if (linkType < 0) {
                dropped.get(Drop.UNSUPPORTED_LINK).increment();
                return;
            }
            boolean selected = false;
            byte[] comment = null;
            synchronized (this) {
                long now = time.milliseconds();
                for (Recording r : writing) {
                    if (r.stopReason != null) {
                        continue;
                    }
                    if (now >= r.deadlineMillis) {
                        finish(r, StopReason.MAX_SECONDS);
                        continue;
                    }
                    if (!r.filter.matches(e)) {
                        continue;
                    }
                    selected = true;
                    matched.increment();
                    if (comment == null) {
                        comment = comment(e);
                    }
                    write(r, linkType, e.timeMicros(), packet, comment);
                }
            }
            if (!selected) {
                filteredOut.increment();
            }
        } catch (RuntimeException ex) {
            // Never end the subscription: the sessions would run on with nothing feeding them.
            dropped.get(Drop.FAILED).increment();
            log.warn("capture: an event could not be handled", ex);
        }
    }

    /** Writes one packet to one session, or stops the session at its byte limit or on a write error. */
    private void write(Recording r, int linkType, long timeMicros, ByteBuffer packet, byte[] comment) {
        int length = packet.remaining();
        if (r.writer.size() + r.writer.cost(linkType, length, comment) > r.limits.maxBytes()) {
            r.dropped++;
            dropped.get(Drop.BYTES_LIMIT).increment();
            finish(r, StopReason.MAX_BYTES);
            return;
        }
        try {
            r.writer.write(linkType, timeMicros, packet, comment);
        } catch (IOException ex) {
            r.dropped++;
            dropped.get(Drop.WRITE_ERROR).increment();
            writeErrors.increment();
            log.warn("capture {}: write failed: {}", r.id, ex.toString());
            finish(r, StopReason.WRITE_ERROR);
            return;
        }
        r.packets++;
        r.bytes += length;
        written.increment();
        writtenBytes.add(length);
        if (r.packets >= r.limits.maxPackets()) {
            finish(r, StopReason.MAX_PACKETS);
        }
    }

    /**
     * The packet comment: {@code mark=0x01abcdef queue=1 direction=inbound site=lab type=DISCOVER}, and
     * {@code inner=SOLICIT} for a relayed DHCPv6 message, {@code input=tzsp agent=192.0.2.7:40001} for a frame mirrored
     * from a remote site. Read from what the verdict path knew: no decode.
     */
    static byte[] comment(DhcpEvent e) {
        StringBuilder sb = new StringBuilder(96);
        sb.append("mark=").append(PacketMark.toHex(e.mark()));
        sb.append(" queue=").append(e.queue());
        sb.append(" direction=").append(CaptureFilter.label(e.direction()));
        sb.append(" site=").append(word(e.siteId()));
        sb.append(" type=").append(CaptureFilter.MessageType.nameOf(e.family(), e.messageType()));
        if (e.family() == 6 && e.innerType() != e.messageType()) {
            sb.append(" inner=").append(CaptureFilter.MessageType.nameOf(6, e.innerType()));
        }
        if (e.origin().observed()) {
            sb.append(" input=").append(e.origin().input().label()).append(" agent=").append(word(e.origin().agent()));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A value as one word of the comment: spaces and control characters become {@code _}; "-" for none. */
    private static String word(String s) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(Character.isWhitespace(c) || Character.isISOControl(c)
                ? '_' : c));
        return sb.toString();
    }

    private void timeUp(Recording r) {
        synchronized (this) {
            if (r.stopReason == null) {
                finish(r, StopReason.MAX_SECONDS);
            }
        }
    }

    /** Ends a running session: closes its file, writes its sidecar, lets go of the fan-out if it was the last. */
    private void finish(Recording r, StopReason reason) {
        if (r.stopReason != null) {
            return;
        }
        r.stopReason = reason;
        r.stoppedAt = time.now();
        if (r.timer != null) {
            r.timer.dispose();
        }
        try {
            r.writer.close();
        } catch (IOException e) {
            writeErrors.increment();
            log.warn("capture {}: closing the file failed: {}", r.id, e.toString());
        }
        CaptureSession done = r.snapshot();
        running.remove(r.id);
        writing = running.values().toArray(new Recording[0]);
        finished.put(r.id, done);
        sessionsStopped.get(reason).increment();
        try {
            writeSidecar(done);
        } catch (IOException e) {
            writeErrors.increment();
            log.warn("capture {}: writing its sidecar failed: {}", r.id, e.toString());
        }
        if (running.isEmpty()) {
            unsubscribe();
        }
        log.info("capture {} stopped ({}): {} packets, {} bytes", r.id, reason.label(), done.packets(),
                done.fileBytes());
        r.done.tryEmitValue(done);
        if (reason != StopReason.SHUTDOWN) {
            retention();
        }
    }

    private void unsubscribe() {
        if (subscription != null) {
            subscription.dispose();
            subscription = null;
        }
    }

    // ---------------------------------------------------------------- storage

    private synchronized void hourly() {
        if (unusable == null) {
            retention();
        }
    }

    /** Removes finished captures past the age limit, then the oldest while the directory is over its size. */
    private void retention() {
        long now = time.milliseconds();
        long maxAge = TimeUnit.HOURS.toMillis(config.maxAgeHours());
        List<CaptureSession> oldestFirst = new ArrayList<>(finished.values());
        oldestFirst.sort(Comparator.comparing(CaptureManager::endedAt).thenComparing(CaptureSession::startedAt));
        long total = storedBytes();
        for (CaptureSession s : oldestFirst) {
            boolean old = now - endedAt(s).toEpochMilli() > maxAge;
            if (!old && total <= config.maxTotalBytes()) {
                continue;
            }
            finished.remove(s.id());
            deleteQuietly(s.id());
            total -= s.fileBytes();
            (old ? removedByAge : removedBySize).increment();
            log.info("capture {} removed by retention ({})", s.id(), old ? "older than capture.max_age_hours"
                    : "capture.max_total_bytes reached");
        }
    }

    private static Instant endedAt(CaptureSession s) {
        return s.stoppedAt() != null ? s.stoppedAt() : s.startedAt();
    }

    private long storedBytes() {
        long total = 0;
        for (Recording r : running.values()) {
            total += r.writer.size();
        }
        for (CaptureSession s : finished.values()) {
            total += s.fileBytes();
        }
        return total;
    }

    /** Reads the sidecars of earlier runs; files that are not ours by name are left alone. */
    private void load() throws IOException {
        finished.clear();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(config.dir())) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (name.endsWith(".json.tmp") && isId(name.substring(0, name.length() - 9))) {
                    Files.deleteIfExists(p);
                    continue;
                }
                if (!name.endsWith(".json") || !isId(name.substring(0, name.length() - 5))) {
                    continue;
                }
                String id = name.substring(0, name.length() - 5);
                try {
                    CaptureSession s = recover(id, CaptureJson.readSession(JSON.readTree(p.toFile())));
                    if (s != null) {
                        finished.put(id, s);
                    }
                } catch (IOException | RuntimeException e) {
                    loadErrors.increment();
                    log.warn("capture: {} could not be read, left alone: {}", p, e.toString());
                }
            }
        }
    }

    /**
     * A capture of an earlier run as it is on disk now: its file's size; a session that was running when the
     * daemon died is cut back to its whole blocks and counted from them. Null (and the sidecar removed) when its
     * file is gone.
     */
    private CaptureSession recover(String id, CaptureSession s) throws IOException {
        if (!s.id().equals(id)) {
            throw new IllegalArgumentException("its id is " + s.id());
        }
        Path file = file(id);
        if (!Files.exists(file)) {
            Files.deleteIfExists(sidecar(id));
            return null;
        }
        if (!s.running()) {
            return new CaptureSession(id, s.label(), s.createdBy(), s.filter(), s.limits(), s.state(),
                    s.stopReason(), s.packets(), s.bytes(), s.dropped(), s.startedAt(), s.stoppedAt(), Files.size(file));
        }
        PcapngWriter.Contents c = PcapngWriter.scan(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(c.validLength());
        }
        CaptureSession stopped = new CaptureSession(id, s.label(), s.createdBy(), s.filter(), s.limits(),
                CaptureSession.State.STOPPED, StopReason.SHUTDOWN, c.packets(), c.packetBytes(), s.dropped(),
                s.startedAt(), Files.getLastModifiedTime(file).toInstant(), c.validLength());
        writeSidecar(stopped);
        log.info("capture {} was running when the daemon stopped: kept its {} whole packets", id, c.packets());
        return stopped;
    }

    private void writeSidecar(CaptureSession s) throws IOException {
        ObjectNode n = CaptureJson.session(s);
        n.put("v", 1);
        Path tmp = config.dir().resolve(s.id() + ".json.tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
        Files.move(tmp, sidecar(s.id()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void deleteQuietly(String id) {
        for (Path p : new Path[] {file(id), sidecar(id)}) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                writeErrors.increment();
                log.warn("capture: {} could not be removed: {}", p, e.toString());
            }
        }
    }

    private static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Paths are built only from ids that passed {@link #checkId}. */
    private Path file(String id) {
        return config.dir().resolve(id + ".pcapng");
    }

    private Path sidecar(String id) {
        return config.dir().resolve(id + ".json");
    }

    /** True for a string shaped like a capture id (a UUID in lower case). */
    public static boolean isId(String s) {
        return s != null && ID.matcher(s).matches();
    }

    /** Refuses anything but a capture id (a UUID in lower case) before it can reach a path. */
    private static void checkId(String id) {
        if (id == null || !isId(id)) {
            throw new CaptureRequestException("id", "not a capture id");
        }
    }

    private long dropped(Drop d) {
        if (d == Drop.QUEUE_FULL) {
            long n = 0;
            for (EventFanout.SubscriberStats s : events.stats()) {
                if (s.name().equals(SUBSCRIBER)) {
                    n += s.dropped();
                }
            }
            return n;
        }
        return dropped.get(d).sum();
    }

    /** A running session: its file and counts, guarded by the manager. */
    private static final class Recording {
        final String id;
        final String label;
        final String createdBy;
        final CaptureFilter filter;
        final CaptureLimits limits;
        final Instant startedAt;
        final long deadlineMillis;
        final Sinks.One<CaptureSession> done = Sinks.one();
        PcapngWriter writer;
        Disposable timer;
        long packets;
        long bytes;
        long dropped;
        StopReason stopReason;
        Instant stoppedAt;

        Recording(String id, CaptureRequest request, String createdBy, Instant startedAt) {
            this.id = id;
            this.label = request.label();
            this.createdBy = createdBy;
            this.filter = request.filter();
            this.limits = request.limits();
            this.startedAt = startedAt;
            this.deadlineMillis = startedAt.toEpochMilli() + TimeUnit.SECONDS.toMillis(limits.maxSeconds());
        }

        CaptureSession snapshot() {
            return new CaptureSession(id, label, createdBy, filter, limits,
                    stopReason == null ? CaptureSession.State.RUNNING : CaptureSession.State.STOPPED, stopReason,
                    packets, bytes, dropped, startedAt, stoppedAt, writer != null ? writer.size() : 0);
        }
    }

    /** The first {@code length} bytes of a file, read by position (the writer may be appending meanwhile). */
    private static final class FileRange extends InputStream {
        private final FileChannel channel;
        private final long length;
        private long position;

        FileRange(FileChannel channel, long length) {
            this.channel = channel;
            this.length = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            int got = channel.read(ByteBuffer.wrap(b, off, n), position);
            if (got < 0) {
                return -1;
            }
            position += got;
            return got;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, length - position));
            position += k;
            return k;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, length - position);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

}
