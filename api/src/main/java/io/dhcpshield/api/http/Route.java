package io.dhcpshield.api.http;

import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One route: method, path template ({@code /api/v1/devices/{id}}: a brace segment is one path segment), who may
 * call it, and the handler. Matching is exact: no prefixes, no trailing slash, so routes never shadow each other.
 */
public record Route(String method, String template, Access access, Function<Request, Mono<Response>> handler) {

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(handler, "handler");
        if (!template.startsWith("/") || template.endsWith("/") && template.length() > 1) {
            throw new IllegalArgumentException("bad route template " + template);
        }
    }

    /** How many of the template's segments are literal: a literal segment beats a {parameter} on the same path. */
    int literals() {
        return (int) segments().stream().filter(x -> !x.startsWith("{")).count();
    }

    /** The template's segments. */
    List<String> segments() {
        return split(template);
    }

    /** The path parameters when {@code path} matches this template, else null. */
    Map<String, String> match(List<String> pathSegments) {
        List<String> mine = segments();
        if (mine.size() != pathSegments.size()) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < mine.size(); i++) {
            String t = mine.get(i);
            String p = pathSegments.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                if (p.isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new java.util.LinkedHashMap<>();
                }
                params.put(t.substring(1, t.length() - 1), p);
            } else if (!t.equals(p)) {
                return null;
            }
        }
        return params == null ? Map.of() : Collections.unmodifiableMap(params);
    }

    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        int start = 1;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            if (slash < 0) {
                out.add(path.substring(start));
                break;
            }
            out.add(path.substring(start, slash));
            start = slash + 1;
        }
        return out;
    }
}
