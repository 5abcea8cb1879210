package io.dhcpshield.api.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dhcpshield.api.auth.Accounts;
import io.dhcpshield.api.http.Access;
import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Json;
import io.dhcpshield.api.http.Params;
import io.dhcpshield.api.http.Request;
import io.dhcpshield.api.http.Response;
import io.dhcpshield.api.http.Route;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.enforcement.firewall.ApplyRecord;
import io.dhcpshield.enforcement.firewall.FirewallBatch.Mode;
import io.dhcpshield.enforcement.firewall.FirewallManager;
import io.dhcpshield.enforcement.firewall.FirewallManager.Refused;
import io.dhcpshield.enforcement.firewall.FlowTracer;
import io.dhcpshield.enforcement.firewall.KernelFirewall;
import io.dhcpshield.enforcement.firewall.RulesetDocument;
import io.dhcpshield.enforcement.firewall.RulesetDocumentException;
import io.dhcpshield.enforcement.firewall.StoredRuleset;
import io.dhcpshield.enforcement.kernel.KernelState;
import io.dhcpshield.enforcement.ruleset.MessageTypeChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/firewall} (docs/firewall.md): the Firewall Manager's rulesets (list, versions, create from a
 * profile, the kernel, a copy or the editor; validate with the kernel's parser; apply merge or swap; rollback; soft
 * delete and undelete; export and import; diff against the running kernel) and the Flow Visualizer. Viewers read;
 * operators change, and every change is audited. Kernel and database work runs off the event loop.
 */
public final class FirewallResource {

    private static final Pattern APPLY_ID = Pattern.compile("[0-9a-f-]{36}");

    private final Deferred<FirewallManager> firewall;
    private final Accounts accounts;

    public FirewallResource(Deferred<FirewallManager> firewall, Accounts accounts) {
        this.firewall = firewall;
        this.accounts = accounts;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/firewall/rulesets", Access.VIEWER, r -> {
                    Params p = r.params().only("deleted");
                    boolean deleted = "true".equals(p.oneOf("deleted", "true", "false"));
                    FirewallManager m = firewall.require();
                    return blocking(() -> {
                        ObjectNode n = Views.object();
                        ArrayNode a = n.putArray("rulesets");
                        m.list(deleted).forEach(x -> a.add(named(x)));
                        n.set("kernel", kernel(m));
                        return Response.ok(n);
                    });
                }),
                new Route("GET", "/api/v1/firewall/rulesets/{name}", Access.VIEWER, r -> {
                    r.params().only();
                    String name = name(r.path("name"));
                    FirewallManager m = firewall.require();
                    return blocking(() -> {
                        ObjectNode n = Views.object().put("name", name);
                        ArrayNode a = n.putArray("versions");
                        m.versions(name).forEach(v -> a.add(version(v)));
                        n.set("body", body(m.version(name, null)));
                        return Response.ok(n);
                    });
                }),
                new Route("GET", "/api/v1/firewall/rulesets/{name}/versions/{version}", Access.VIEWER, r -> {
                    r.params().only();
                    String name = name(r.path("name"));
                    int v = versionNumber(r.path("version"));
                    FirewallManager m = firewall.require();
                    return blocking(() -> {
                        StoredRuleset s = m.version(name, v);
                        ObjectNode n = version(s);
                        n.set("body", body(s));
                        return Response.ok(n);
                    });
                }),
                new Route("POST", "/api/v1/firewall/rulesets", Access.OPERATOR, this::create),
                new Route("DELETE", "/api/v1/firewall/rulesets/{name}", Access.OPERATOR, r -> {
                    r.params().only();
                    String name = name(r.path("name"));
                    String actor = r.caller().username();
                    FirewallManager m = firewall.require();
                    return blocking(() -> {
                        m.delete(name, actor);
                        return Response.noContent();
                    }).flatMap(resp -> accounts.audit(actor, actor, "firewall.delete", name, "{}").thenReturn(resp));
                }),
                new Route("POST", "/api/v1/firewall/rulesets/{name}/undelete", Access.OPERATOR, r -> {
                    r.params().only();
                    String name = name(r.path("name"));
                    String actor = r.caller().username();
                    FirewallManager m = firewall.require();
                    return blocking(() -> {
                        m.undelete(name, actor);
                        return Response.ok(named(m.list(true).stream().filter(x -> x.latest().name().equals(name))
                                .findFirst().orElseThrow()));
                    }).flatMap(resp -> accounts.audit(actor, actor, "firewall.undelete", name, "{}").thenReturn(resp));
                }),
                new Route("POST", "/api/v1/firewall/validate", Access.OPERATOR, r -> {
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "body", "mode");
                    JsonNode body = requiredBody(b);
                    Mode mode = mode(b);
                    FirewallManager m = firewall.require();
                    return blocking(() -> Response.ok(validation(m.validate(body, mode))));
                }),
                new Route("POST", "/api/v1/firewall/apply", Access.OPERATOR, r -> {
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "mode", "rulesets");
                    Mode mode = mode(b);
                    List<FirewallManager.Ref> refs = refs(b);
                    String actor = r.caller().username();
                    FirewallManager m = firewall.require();
                    return blocking(() -> applied(m.apply(mode, refs, actor, "")))
                            .flatMap(resp -> audit(actor, "firewall.apply", resp));
                }),
                new Route("POST", "/api/v1/firewall/rollback", Access.OPERATOR, r -> {
                    ObjectNode b = r.json();
                    Json.onlyFields(b, "apply_id");
                    String id = Json.string(b, "apply_id", 36);
                    if (!APPLY_ID.matcher(id).matches()) {
                        throw ApiError.badRequest("apply_id", "not an apply id");
                    }
                    String actor = r.caller().username();
                    FirewallManager m = firewall.require();
                    return blocking(() -> applied(m.rollback(id, actor)))
                            .flatMap(resp -> audit(actor, "firewall.rollback", resp));
                }),
                new Route("GET", "/api/v1/firewall/applies", Access.VIEWER, r -> {
                    Params p = r.params().only("limit");
                    int limit = p.integer("limit", 1, 500, 50);
                    FirewallManager m = firewall.require();
                    return blocking(() -> {
                        ObjectNode n = Views.object();
                        ArrayNode a = n.putArray("applies");
                        m.applies(limit).forEach(x -> a.add(apply(x)));
                        return Response.ok(n);
                    });
                }),
                new Route("GET", "/api/v1/firewall/kernel", Access.VIEWER, r -> {
                    r.params().only();
                    FirewallManager m = firewall.require();
                    return blocking(() -> {
                        ObjectNode n = kernel(m);
                        try {
                            n.set("body", m.kernel().toJson());
                        } catch (RuntimeException e) {
                            n.putNull("body");
                            n.put("error", e.getMessage());
                        }
                        return Response.ok(n);
                    });
                }),
                new Route("GET", "/api/v1/firewall/diff", Access.VIEWER, r -> {
                    Params p = r.params().only("name", "version");
                    String name = name(p.string("name", 64));
                    String vs = p.string("version", 10);
                    Integer v = vs == null ? null : versionNumber(vs);
                    FirewallManager m = firewall.require();
                    return blocking(() -> {
                        StoredRuleset s = m.version(name, v);
                        List<FirewallManager.DiffLine> lines = m.diff(name, s.version());
                        ObjectNode n = Views.object().put("left", s.ref()).put("right", "kernel")
                                .put("equal", lines.stream().allMatch(l -> l.op() == ' '));
                        ArrayNode a = n.putArray("lines");
                        lines.forEach(l -> a.addObject().put("op", String.valueOf(l.op())).put("text", l.text()));
                        return Response.ok(n);
                    });
                }),
                new Route("GET", "/api/v1/firewall/export", Access.VIEWER, r -> {
                    Params p = r.params().only("names");
                    String names = p.string("names", 4096);
                    List<String> list = names == null || names.isBlank() ? List.of()
                            : Arrays.stream(names.split(",")).map(String::strip).map(FirewallResource::name).toList();
                    FirewallManager m = firewall.require();
                    return blocking(() -> new Response(200, Json.bytes(m.export(list)), "application/json",
                            Map.of("Content-Disposition", "attachment; filename=\"dhcp-shield-rulesets.json\"")));
                }),
                new Route("POST", "/api/v1/firewall/import", Access.OPERATOR, r -> {
                    Params p = r.params().only("force");
                    boolean force = "true".equals(p.oneOf("force", "true", "false"));
                    ObjectNode b = r.json();
                    String actor = r.caller().username();
                    FirewallManager m = firewall.require();
                    return blocking(() -> Response.ok(m.importBundle(b, force, actor)))
                            .flatMap(resp -> accounts.audit(actor, actor, "firewall.import", "",
                                    Json.text(resp.body())).thenReturn(resp));
                }),
                new Route("GET", "/api/v1/firewall/flow/types", Access.VIEWER, r -> {
                    r.params().only();
                    ObjectNode n = Views.object();
                    ArrayNode a = n.putArray("types");
                    for (MessageTypeChain t : MessageTypeChain.values()) {
                        a.addObject().put("name", t.typeName()).put("label", typeLabel(t))
                                .put("family", t.typeName().startsWith("v6") ? 6 : 4)
                                .put("direction", t.direction() == MessageTypeChain.Direction.INBOUND ? "inbound"
                                        : "outbound")
                                .put("type_bits", String.format("0x%08x", t.typeBits()));
                    }
                    return Mono.just(Response.ok(n));
                }),
                new Route("GET", "/api/v1/firewall/flow", Access.VIEWER, this::flow));
    }

    // ---------------------------------------------------------------- handlers

    private Mono<Response> create(Request r) {
        r.params().only();
        ObjectNode b = r.json();
        Json.onlyFields(b, "name", "comment", "body", "from_profile", "from_kernel", "copy_of", "force");
        String name = name(Json.string(b, "name", 64));
        String comment = Json.optionalString(b, "comment", 500);
        boolean force = b.path("force").asBoolean(false);
        List<FirewallManager.Source> sources = new ArrayList<>();
        if (b.has("body")) {
            sources.add(new FirewallManager.Source.Body(requiredBody(b)));
        }
        if (b.has("from_profile")) {
            sources.add(new FirewallManager.Source.Profile(Json.string(b, "from_profile", 64)));
        }
        if (b.path("from_kernel").asBoolean(false)) {
            sources.add(new FirewallManager.Source.FromKernel());
        }
        if (b.has("copy_of")) {
            JsonNode c = b.path("copy_of");
            if (!c.isObject()) {
                throw ApiError.badRequest("copy_of", "must be {\"name\": ..., \"version\": ...}");
            }
            JsonNode v = c.path("version");
            if (!v.isMissingNode() && !v.isNull() && (!v.canConvertToInt() || v.asInt() < 1)) {
                throw ApiError.badRequest("copy_of.version", "must be a version number");
            }
            sources.add(new FirewallManager.Source.CopyOf(name(c.path("name").asText()),
                    v.isMissingNode() || v.isNull() ? null : v.asInt()));
        }
        if (sources.size() != 1) {
            throw ApiError.badRequest("body", "give exactly one of body, from_profile, from_kernel or copy_of");
        }
        String actor = r.caller().username();
        FirewallManager m = firewall.require();
        return blocking(() -> {
            StoredRuleset s = m.create(name, comment, sources.get(0), force, actor);
            ObjectNode n = version(s);
            n.put("name", s.name()).put("version", s.version());
            n.set("body", body(s));
            return Response.created(n);
        }).flatMap(resp -> accounts.audit(actor, actor, "firewall.create", name,
                "{\"force\":" + force + "}").thenReturn(resp));
    }

    private Mono<Response> flow(Request r) {
        Params p = r.params().only("type", "direction", "name", "version");
        String type = p.string("type", 32);
        if (type == null) {
            throw ApiError.badRequest("type", "required: a message type such as DISCOVER or v6_solicit");
        }
        MessageTypeChain t = messageType(type);
        String dir = p.oneOf("direction", "inbound", "outbound");
        FlowTracer.Path path = dir == null ? FlowTracer.Path.INBOUND : FlowTracer.Path.parse(dir);
        String name = p.string("name", 64);
        String vs = p.string("version", 10);
        FirewallManager m = firewall.require();
        return blocking(() -> {
            RulesetDocument doc;
            String source;
            if (name != null) {
                StoredRuleset s = m.version(name(name), vs == null ? null : versionNumber(vs));
                doc = RulesetDocument.parse(s.body());
                source = s.ref();
            } else {
                doc = m.kernel();
                source = "kernel";
            }
            KernelState live = m.live();
            ObjectNode n = Views.object().put("type", t.typeName()).put("label", typeLabel(t))
                    .put("direction", path.label()).put("type_bits", String.format("0x%08x", t.typeBits()))
                    .put("source", source);
            ArrayNode steps = n.putArray("steps");
            for (FlowTracer.Step s : FlowTracer.trace(doc, t, path, live)) {
                ObjectNode o = steps.addObject().put("id", s.id()).put("depth", s.depth()).put("chain", s.chain())
                        .put("hook", s.hook()).put("base", s.base()).put("kind", s.kind()).put("label", s.label())
                        .put("taken", s.taken());
                putOrNull(o, "priority", s.priority());
                putOrNull(o, "rule", s.rule());
                o.put("set", s.set()).put("counter", s.counter()).put("verdict", s.verdict());
                if (s.packets() == null) {
                    o.putNull("packets");
                } else {
                    o.put("packets", s.packets());
                }
                if (s.setElements() == null) {
                    o.putNull("set_elements");
                } else {
                    o.put("set_elements", s.setElements());
                }
            }
            ObjectNode sets = n.putObject("sets");
            ObjectNode counters = n.putObject("counters");
            if (live != null) {
                live.sets().forEach((k, v) -> sets.putObject(k).put("size", v.size()).put("elements", v.elements()));
                live.counters().forEach((k, v) -> counters.putObject(k).put("packets", v.packets())
                        .put("bytes", v.bytes()));
            }
            return Response.ok(n);
        });
    }

    // ---------------------------------------------------------------- views

    private static ObjectNode named(FirewallManager.Named x) {
        StoredRuleset l = x.latest();
        ObjectNode o = Views.object().put("name", l.name()).put("version", l.version()).put("versions", x.versions())
                .put("source", l.source()).put("comment", l.comment()).put("created_at", l.createdAt().toString())
                .put("created_by", l.createdBy()).put("active", x.activeVersion() != null);
        putOrNull(o, "order", x.activeVersion() != null ? x.order() : null);
        putOrNull(o, "active_version", x.activeVersion());
        o.put("deleted", x.deleted());
        RulesetDocument.Summary s = x.summary();
        if (s == null) {
            o.putNull("summary");
        } else {
            o.putObject("summary").put("chains", s.chains()).put("rules", s.rules()).put("sets", s.sets())
                    .put("counters", s.counters()).put("queue", s.queue());
        }
        return o;
    }

    private static ObjectNode version(StoredRuleset v) {
        ObjectNode o = Views.object().put("version", v.version()).put("source", v.source())
                .put("comment", v.comment()).put("created_at", v.createdAt().toString())
                .put("created_by", v.createdBy()).put("active", v.active());
        putOrNull(o, "order", v.active() ? v.order() : null);
        return o.put("deleted", v.deleted());
    }

    private static JsonNode body(StoredRuleset s) {
        try {
            return Json.MAPPER.readTree(s.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored ruleset " + s.ref() + " is not JSON", e);
        }
    }

    static ObjectNode apply(ApplyRecord a) {
        ObjectNode o = Views.object().put("id", a.id()).put("at", a.at().toString()).put("actor", a.actor())
                .put("mode", a.mode());
        ArrayNode rs = o.putArray("rulesets");
        a.rulesets().forEach(rs::add);
        o.put("ok", a.ok()).put("stage", a.stage()).put("error", a.error()).put("ms", a.millis());
        if (a.rollbackOf().isEmpty()) {
            o.putNull("rollback_of");
        } else {
            o.put("rollback_of", a.rollbackOf());
        }
        return o;
    }

    private static ObjectNode kernel(FirewallManager m) {
        ObjectNode k = Views.object();
        String drift;
        boolean installed;
        try {
            drift = m.drift();
            installed = m.live() != null;
        } catch (RuntimeException e) {
            drift = "";
            installed = false;
        }
        k.put("installed", installed).put("drift", drift);
        ApplyRecord last = m.lastApplied();
        if (last == null) {
            k.putNull("applied");
        } else {
            k.set("applied", apply(last));
        }
        return k;
    }

    private static ObjectNode located(List<KernelFirewall.Located> errors, ObjectNode n) {
        ArrayNode a = n.putArray("errors");
        for (KernelFirewall.Located l : errors) {
            ObjectNode o = a.addObject().put("index", l.index());
            if (l.ruleset() >= 0) {
                o.put("ruleset", l.ruleset());
            }
            o.set("object", l.object());
            o.put("message", l.message());
        }
        return n;
    }

    private static ObjectNode validation(FirewallManager.Validation v) {
        ObjectNode n = Views.object().put("ok", v.ok()).put("stage", v.stage()).put("kernel_error", v.kernelError())
                .put("commands", v.commands());
        located(v.errors(), n);
        ArrayNode errors = (ArrayNode) n.path("errors");
        for (RulesetDocument.Problem p : v.problems()) {
            errors.addObject().put("index", p.index()).put("path", p.path()).put("message", p.message());
        }
        return n;
    }

    private static Response applied(FirewallManager.ApplyResult res) {
        ObjectNode n = Views.object().put("ok", res.ok());
        n.set("apply", apply(res.record()));
        if (!res.ok()) {
            n.put("kernel_error", res.kernelError());
            located(res.errors(), n);
            return Response.json(422, n);
        }
        return Response.ok(n);
    }

    private Mono<Response> audit(String actor, String what, Response resp) {
        return accounts.audit(actor, actor, what, "", Json.text(resp.body())).thenReturn(resp);
    }

    // ---------------------------------------------------------------- parsing

    private static String name(String s) {
        if (s == null || !FirewallManager.NAME.matcher(s).matches()) {
            throw ApiError.badRequest("name",
                    "a ruleset name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return s;
    }

    private static int versionNumber(String s) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiError.badRequest("version", "a version is a number from 1");
    }

    private static JsonNode requiredBody(ObjectNode b) {
        JsonNode body = b.path("body");
        if (!body.isObject()) {
            throw ApiError.badRequest("body", "must be a ruleset {\"nftables\": [...]}");
        }
        return body;
    }

    private static Mode mode(ObjectNode b) {
        String m = b.path("mode").asText("");
        try {
            return Mode.parse(m);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("mode", e.getMessage());
        }
    }

    private static List<FirewallManager.Ref> refs(ObjectNode b) {
        JsonNode a = b.path("rulesets");
        if (!a.isArray() || a.isEmpty() || a.size() > 32) {
            throw ApiError.badRequest("rulesets", "a list of 1-32 {\"name\", \"version\"} in apply order");
        }
        List<FirewallManager.Ref> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonNode x = a.get(i);
            String name = x.path("name").asText(null);
            if (name == null || !FirewallManager.NAME.matcher(name).matches()) {
                throw ApiError.badRequest("rulesets[" + i + "].name", "not a ruleset name");
            }
            JsonNode v = x.path("version");
            if (!v.isMissingNode() && !v.isNull() && (!v.canConvertToInt() || v.asInt() < 1)) {
                throw ApiError.badRequest("rulesets[" + i + "].version", "a version is a number from 1");
            }
            out.add(new FirewallManager.Ref(name, v.isMissingNode() || v.isNull() ? null : v.asInt()));
        }
        return out;
    }

    /** {@code v4_discover}, or a name such as DISCOVER or SOLICIT when only one family has it. */
    static MessageTypeChain messageType(String s) {
        String l = s.toLowerCase(Locale.ROOT).replace('-', '_');
        var exact = MessageTypeChain.byTypeName(l);
        if (exact.isPresent()) {
            return exact.get();
        }
        List<MessageTypeChain> m = Arrays.stream(MessageTypeChain.values())
                .filter(t -> t.typeName().substring(3).equals(l)).toList();
        if (m.size() == 1) {
            return m.get(0);
        }
        throw ApiError.badRequest("type", m.isEmpty() ? "no message type '" + s + "'"
                : "'" + s + "' is both DHCPv4 and DHCPv6: say v4_" + l + " or v6_" + l);
    }

    static String typeLabel(MessageTypeChain t) {
        return (t.typeName().startsWith("v6") ? "DHCPv6 " : "DHCPv4 ")
                + t.typeName().substring(3).toUpperCase(Locale.ROOT).replace('_', '-');
    }

    private static void putOrNull(ObjectNode o, String field, Integer v) {
        if (v == null) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    /** Runs manager work off the event loop, mapping its refusals to API errors. */
    private static Mono<Response> blocking(Callable<Response> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(Refused.class, FirewallResource::refused)
                .onErrorResume(RulesetDocumentException.class, e -> Mono.just(problems(e)));
    }

    private static Throwable refused(Refused e) {
        return switch (e.why()) {
            case NOT_FOUND -> ApiError.notFound(e.getMessage());
            case EXISTS, ACTIVE -> new ApiError(409, e.why() == Refused.Why.EXISTS ? "exists" : "active",
                    e.getMessage(), e.field().isEmpty() ? null : e.field(), null);
            case INVALID -> ApiError.badRequest(e.field().isEmpty() ? null : e.field(), e.getMessage());
        };
    }

    /** 400 naming every offending object of a ruleset (field: the first; problems: all). */
    private static Response problems(RulesetDocumentException e) {
        ObjectNode root = Views.object();
        ObjectNode err = root.putObject("error");
        err.put("code", "invalid_request");
        err.put("message", e.getMessage());
        List<RulesetDocument.Problem> ps = e.problems();
        err.put("field", ps.isEmpty() ? "body" : ps.get(0).path());
        ObjectNode fields = err.putObject("fields");
        ArrayNode all = err.putArray("problems");
        for (RulesetDocument.Problem p : ps) {
            fields.put(p.path(), p.message());
            all.addObject().put("index", p.index()).put("path", p.path()).put("message", p.message());
        }
        return Response.json(400, root);
    }
}
