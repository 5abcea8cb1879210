package io.dhcpshield.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The browser GUI's files, served from the class path (the {@code gui} module's jar puts its build under
 * {@value #GUI_ROOT}) on the API's own port. {@code /assets/...} are content-hashed build outputs, cached for a
 * year; any other GET path that names no file is a page of the single-page app and gets {@code index.html}, never
 * cached, so a reload of {@code /devices/00:11:22:33:44:55} works. Everything goes out with a strict Content
 * Security Policy: scripts and connections only from this origin, no frames.
 */
public final class StaticFiles {

    /** Where the gui module's build lives on the class path. */
    public static final String GUI_ROOT = "io/dhcpshield/gui/static/";

    static final String CSP = "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "style-src 'self' 'unsafe-inline'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    /** Path segments of a served file: no dot files, no "..", no escapes. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    private final String root;
    private final ClassLoader loader;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public StaticFiles(String root, ClassLoader loader) {
        this.root = root.endsWith("/") ? root : root + "/";
        this.loader = loader;
    }

    /** The GUI as packaged with the daemon. */
    public static StaticFiles gui() {
        return new StaticFiles(GUI_ROOT, StaticFiles.class.getClassLoader());
    }

    /** Whether this build carries the GUI at all. */
    public boolean present() {
        return read("index.html").isPresent();
    }

    /** Paths this never answers: the API and the metrics keep their own 404s. */
    public static boolean claims(String path) {
        return !(path.equals("/api") || path.startsWith("/api/") || path.equals("/metrics"));
    }

    /** The answer for a GET or HEAD of {@code path}, or an {@link ApiError} 404. */
    public Response serve(String path) {
        String rel = path.startsWith("/") ? path.substring(1) : path;
        if (rel.isEmpty() || rel.equals("index.html")) {
            return page();
        }
        String[] segments = rel.split("/", -1);
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) {
                return page();
            }
        }
        Optional<byte[]> file = read(rel);
        if (file.isPresent()) {
            boolean hashed = rel.startsWith("assets/");
            return new Response(200, file.get(), type(rel), headers(hashed
                    ? "public, max-age=31536000, immutable" : "no-cache"));
        }
        if (rel.startsWith("assets/") || segments[segments.length - 1].contains(".")) {
            // A missing script or style is a 404, not the page: the browser would try to run HTML as JavaScript.
            throw ApiError.notFound("no file /" + rel + " in the GUI");
        }
        return page();
    }

    private Response page() {
        byte[] index = read("index.html").orElseThrow(() -> ApiError.notFound(
                "this build has no GUI (the gui module's jar is not on the class path); the API is under /api/v1"));
        return new Response(200, index, TYPES.get("html"), headers("no-cache"));
    }

    private static Map<String, String> headers(String cacheControl) {
        return Map.of("Cache-Control", cacheControl, "Content-Security-Policy", CSP,
                "Referrer-Policy", "no-referrer", "X-Frame-Options", "DENY");
    }

    /** A file's bytes; only files that exist are kept, so probing random paths costs no memory. */
    private Optional<byte[]> read(String rel) {
        byte[] cached = cache.get(rel);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = loader.getResourceAsStream(root + rel)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            cache.put(rel, bytes);
            return Optional.of(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + root + rel, e);
        }
    }

    private static String type(String rel) {
        int dot = rel.lastIndexOf('.');
        String ext = dot < 0 ? "" : rel.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }
}
