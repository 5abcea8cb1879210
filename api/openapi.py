import json
E = lambda desc: {"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
def ref(n): return {"$ref": "#/components/schemas/" + n}
def ok(desc, schema): return {"description": desc, "content": {"application/json": {"schema": schema}}}
def q(name, desc, schema=None, required=False):
    return {"name": name, "in": "query", "required": required, "description": desc, "schema": schema or {"type": "string"}}
def p(name, desc): return {"name": name, "in": "path", "required": True, "description": desc, "schema": {"type": "string"}}
ERR = {"400": E("invalid request: the field is named"), "401": E("missing, invalid, expired or revoked token"),
       "403": E("the caller's role may not do this"), "429": E("rate limited; see Retry-After"),
       "503": E("a dependency (ClickHouse, the Action Manager, ...) is not ready; the message says which")}
def errs(*codes): return {c: ERR[c] for c in codes}
SEC = [{"bearer": []}]
TIME = [q("from", "start of the range, ISO-8601 or epoch seconds (default: to minus the route's window)"),
        q("to", "end of the range, exclusive (default: now)")]
PAGE = [q("limit", "page size (1..api.max_page_size)", {"type": "integer"}), q("cursor", "the previous page's next")]
paths = {}
def op(method, path, tag, summary, access, params=None, body=None, responses=None):
    o = {"tags": [tag], "summary": summary, "x-access": access, "parameters": params or []}
    if access != "public":
        o["security"] = SEC
    if body: o["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    rs = dict(responses or {})
    if method in ("post", "put", "patch"):
        rs.setdefault("413", E("body larger than api.max_body_bytes")); rs.setdefault("415", E("body not application/json"))
    rs.setdefault("400", ERR["400"])
    if access != "public":
        rs.setdefault("401", ERR["401"]); rs.setdefault("403", ERR["403"])
    rs.setdefault("503", ERR["503"])
    o["responses"] = rs
    paths.setdefault(path, {})[method] = o

op("get", "/api/v1/health", "status", "Liveness: the daemon answers", "public", responses={"200": ok("alive", {"type": "object"})})
op("get", "/api/v1/ready", "status", "Readiness: queues bound, transport, queue mode, ClickHouse, ruleset, fail-open in effect", "public",
   responses={"200": ok("every service ready", ref("Ready")), "503": ok("some service not ready (the report says which)", ref("Ready"))})
op("get", "/api/v1/counters", "status", "Every service's counters, gauges and histograms", "viewer", responses={"200": ok("metrics", {"type": "object"})})
op("get", "/metrics", "status", "Prometheus text exposition of the same metrics", "public",
   responses={"200": {"description": "Prometheus text format", "content": {"text/plain": {"schema": {"type": "string"}}}}})
op("get", "/api/v1/openapi.json", "status", "This document", "public", responses={"200": ok("OpenAPI 3", {"type": "object"})})
op("get", "/api/v1/stream", "stream", "Live events over WebSocket (see docs/api.md: subprotocol dhcp-shield.v1, token as bearer.<token> or first message)", "public",
   params=[q("mac", "client MAC"), q("duid", "client DUID"), q("msg_type", "message type name (outer or inner)"), q("relay_ip", "relay address"),
           q("circuit_id", "Option 82 circuit id"), q("direction", "client_to_server, server_to_client, other"), q("errors_only", "true: malformed only", {"type": "boolean"}), q("site", "site id")],
   responses={"101": {"description": "switching to WebSocket"}, "426": E("not a WebSocket upgrade")})
op("post", "/api/v1/auth/login", "auth", "Log in: an access token and a refresh token", "public",
   body=ref("Login"), responses={"200": ok("tokens", ref("Tokens")), "401": E("invalid username or password"), "429": ERR["429"]})
op("post", "/api/v1/auth/refresh", "auth", "Rotate a refresh token (single use; reuse revokes the whole family)", "public",
   body={"type": "object", "required": ["refresh_token"], "properties": {"refresh_token": {"type": "string"}}},
   responses={"200": ok("new tokens", ref("Tokens")), "401": E("invalid, expired, revoked or reused refresh token")})
op("post", "/api/v1/auth/logout", "auth", "Log out: revoke this login's tokens", "viewer", responses={"204": {"description": "revoked"}})
op("get", "/api/v1/auth/me", "auth", "The caller", "viewer", responses={"200": ok("caller", {"type": "object"})})
op("get", "/api/v1/users", "users", "List users", "admin", responses={"200": ok("users", {"type": "object", "properties": {"users": {"type": "array", "items": ref("User")}}})})
op("post", "/api/v1/users", "users", "Create a user", "admin", body=ref("NewUser"), responses={"201": ok("created", ref("User")), "409": E("the name is taken")})
op("get", "/api/v1/users/{username}", "users", "One user (admins: anyone; others: themselves)", "viewer", params=[p("username", "user name")],
   responses={"200": ok("user", ref("User")), "404": E("no such user")})
op("patch", "/api/v1/users/{username}", "users", "Change role, disabled or password (own password needs current_password); ends the user's sessions", "viewer",
   params=[p("username", "user name")], body=ref("UserChange"), responses={"200": ok("user", ref("User")), "404": E("no such user"), "409": E("not allowed on one's own account")})
op("delete", "/api/v1/users/{username}", "users", "Delete a user (and end their sessions)", "admin", params=[p("username", "user name")],
   responses={"204": {"description": "deleted"}, "404": E("no such user"), "409": E("not allowed on one's own account")})
op("get", "/api/v1/events", "events", "Stored events, newest first, by any combination of filters", "viewer",
   params=TIME + [q("mac", "client MAC"), q("duid", "client DUID (colon hex)"), q("ip", "assigned, requested or source address"), q("relay_ip", "relay address"),
                  q("circuit_id", "Option 82 circuit id / interface id as stored"), q("remote_id", "remote id as stored"), q("msg_type", "stored message type name (DISCOVER, SOLICIT, RELAY-FORW...)"),
                  q("inner_type", "innermost message type code", {"type": "integer"}), q("family", "4 or 6"), q("direction", "client_to_server, server_to_client, other"),
                  q("errors", "true: malformed only", {"type": "boolean"}), q("site", "site id"), q("hostname", "client hostname")] + PAGE,
   responses={"200": ok("a page", {"type": "object", "properties": {"events": {"type": "array", "items": ref("Event")}, "next": {"type": "string", "nullable": True}}})})
op("get", "/api/v1/devices/{client}", "devices", "Device summary by MAC or DUID: identity, fingerprint and history, relays, bindings, enforcement, actions", "viewer",
   params=[p("client", "MAC or DUID"), q("limit", "entries per list", {"type": "integer"})], responses={"200": ok("device", ref("Device")), "404": E("never seen")})
op("get", "/api/v1/bindings", "bindings", "Who had an address (or delegated prefix) at a time; bindings of an address or a client over a range", "viewer",
   params=[q("ip", "IPv4 or IPv6 address"), q("prefix", "IPv6 delegated prefix, e.g. 2001:db8:1::/56"), q("client", "MAC or DUID"), q("at", "the moment (with ip or prefix)")] + TIME + [q("limit", "most bindings", {"type": "integer"})],
   responses={"200": ok("bindings", {"type": "object", "properties": {"bindings": {"type": "array", "items": ref("Binding")}}})})
op("post", "/api/v1/actions", "actions", "Take an action on clients (MAC, 0x client mark or DUID)", "operator", body=ref("ActionRequest"),
   responses={"201": ok("taken", ref("ActionOutcome")), "500": E("the kernel refused the transaction; nothing changed")})
op("post", "/api/v1/actions/{id}/undo", "actions", "Undo an action in force (or a cleanup)", "operator", params=[p("id", "action id")],
   responses={"200": ok("undone", ref("ActionOutcome")), "404": E("no such action"), "409": E("not in force any more")})
op("get", "/api/v1/actions/active", "actions", "Actions in force now", "viewer", responses={"200": ok("in force", {"type": "object", "properties": {"actions": {"type": "array", "items": ref("Action")}}})})
op("get", "/api/v1/actions", "actions", "Action history by actor, target, action and time", "viewer",
   params=TIME + [q("actor", "e.g. user:alice, automation_rule:burst"), q("target", "MAC, 0x client mark or DUID"), q("action", "block, deny, ...")] + PAGE,
   responses={"200": ok("a page", {"type": "object", "properties": {"actions": {"type": "array", "items": ref("Action")}, "next": {"type": "string", "nullable": True}}})})
op("get", "/api/v1/config", "config", "Operational config: every key with value, source, default", "viewer", responses={"200": ok("keys", {"type": "object"})})
op("get", "/api/v1/config/audit", "config", "Config changes (who, old, new, when)", "viewer", params=[q("key", "one key")] + TIME + PAGE,
   responses={"200": ok("changes", {"type": "object"})})
op("put", "/api/v1/config/{key}", "config", "Set an operational key (applies at runtime)", "admin", params=[p("key", "operational.* key")],
   body={"type": "object", "required": ["value"], "properties": {"value": {}}}, responses={"200": ok("the key now", {"type": "object"}), "404": E("no such key")})
op("delete", "/api/v1/config/{key}", "config", "Reset a key to its YAML or compiled default", "admin", params=[p("key", "operational.* key")],
   responses={"200": ok("the key now", {"type": "object"}), "404": E("no such key")})
op("get", "/api/v1/stats/message-types", "stats", "Events per message type per bucket (Stage-1 view)", "viewer", params=TIME + [q("bucket", "1m, 5m, 15m, 1h, 1d")], responses={"200": ok("series", {"type": "object"})})
op("get", "/api/v1/stats/relays", "stats", "Events per relay and circuit per bucket", "viewer", params=TIME + [q("bucket", "1m, 5m, 15m, 1h, 1d")], responses={"200": ok("series", {"type": "object"})})
op("get", "/api/v1/stats/top-clients", "stats", "Clients with the most events", "viewer", params=TIME + [q("limit", "how many", {"type": "integer"})], responses={"200": ok("clients", {"type": "object"})})
op("get", "/api/v1/audit", "audit", "The audit trail: users, sessions, config and actions", "admin",
   params=[q("actor", "who"), q("action", "exact, or a prefix ending in '.' (user.)"), q("target", "what")] + TIME + PAGE, responses={"200": ok("entries", {"type": "object"})})

S = {"type": "string"}
op("get", "/api/v1/automation/rules", "automation", "Every automation rule with its version and last change", "viewer",
   responses={"200": ok("rules", {"type": "object", "properties": {"rules": {"type": "array", "items": ref("StoredRule")}}})})
op("post", "/api/v1/automation/rules", "automation", "Create a rule (docs/automation.md: the rule's JSON)", "admin", body=ref("Rule"),
   responses={"201": ok("created", ref("StoredRule")), "409": E("a rule with this id exists")})
op("get", "/api/v1/automation/rules/{id}", "automation", "One rule", "viewer", params=[p("id", "rule id")],
   responses={"200": ok("the rule", ref("StoredRule")), "404": E("no such rule")})
op("put", "/api/v1/automation/rules/{id}", "automation", "Replace a rule", "admin", params=[p("id", "rule id")], body=ref("Rule"),
   responses={"200": ok("the rule now", ref("StoredRule")), "404": E("no such rule")})
op("patch", "/api/v1/automation/rules/{id}", "automation", "Enable or disable a rule", "operator", params=[p("id", "rule id")],
   body={"type": "object", "required": ["enabled"], "properties": {"enabled": {"type": "boolean"}}},
   responses={"200": ok("the rule now", ref("StoredRule")), "404": E("no such rule")})
op("delete", "/api/v1/automation/rules/{id}", "automation", "Delete a rule (seed rules stay deleted)", "admin", params=[p("id", "rule id")],
   responses={"204": {"description": "deleted"}, "404": E("no such rule")})
op("post", "/api/v1/automation/rules/{id}/dry-run", "automation", "Run a stored rule now without acting: the clients it would hit, with their numbers", "operator",
   params=[p("id", "rule id")], responses={"200": ok("what it would do", ref("RunReport")), "404": E("no such rule")})
op("post", "/api/v1/automation/rules/{id}/run", "automation", "Run a rule now and act (suppression still applies)", "operator",
   params=[p("id", "rule id")], responses={"200": ok("what it did", ref("RunReport")), "404": E("no such rule"), "409": E("automation.enabled is false")})
op("post", "/api/v1/automation/dry-run", "automation", "Dry-run an unsaved rule (preview while editing)", "operator", body=ref("Rule"),
   responses={"200": ok("what it would do", ref("RunReport"))})
op("get", "/api/v1/automation/runs", "automation", "Every run of the rules (scheduled, manual, dry run), newest first", "viewer",
   params=[q("rule", "one rule id")] + TIME + [q("limit", "most runs", {"type": "integer"})],
   responses={"200": ok("runs", {"type": "object", "properties": {"runs": {"type": "array", "items": ref("Run")}}})})
op("get", "/api/v1/automation/alarms", "automation", "The built-in detectors' latest alarms (fingerprint change, chaddr vs L2 source, MAC behind several circuits, mark collisions)", "viewer",
   params=[q("limit", "most", {"type": "integer"})], responses={"200": ok("alarms", {"type": "object", "properties": {"alarms": {"type": "array", "items": ref("Alarm")}}})})
op("post", "/api/v1/automation/detectors/run", "automation", "Run every enabled detector now; what they raised", "operator",
   responses={"200": ok("alarms", {"type": "object", "properties": {"alarms": {"type": "array", "items": ref("Alarm")}}})})
op("post", "/api/v1/analysis", "analysis", "Queue a device for analysis by the optional backend", "operator",
   body={"type": "object", "required": ["target"], "properties": {"target": {"type": "string", "description": "MAC, 0x client mark or DUID"}}},
   responses={"202": ok("queued", ref("Enqueued")), "200": ok("already queued or running", ref("Enqueued"))})
op("get", "/api/v1/analysis", "analysis", "Analysis results by time, target, requester and state", "viewer",
   params=TIME + [q("target", "MAC, 0x client mark or DUID"), q("requested_by", "e.g. user:alice, automation_rule:x"), q("state", "queued, running, applied, held, approved, rejected, invalid, failed, skipped"), q("limit", "most", {"type": "integer"})],
   responses={"200": ok("results", {"type": "object", "properties": {"results": {"type": "array", "items": ref("Analysis")}}})})
op("get", "/api/v1/analysis/pending", "analysis", "Recommendations held for approval, oldest first", "viewer", params=[q("limit", "most", {"type": "integer"})],
   responses={"200": ok("held", {"type": "object", "properties": {"pending": {"type": "array", "items": ref("Analysis")}}})})
op("get", "/api/v1/analysis/active", "analysis", "Analyses queued or running now", "viewer",
   responses={"200": ok("active", {"type": "object", "properties": {"active": {"type": "array", "items": ref("Analysis")}}})})
op("get", "/api/v1/analysis/{id}", "analysis", "One analysis", "viewer", params=[p("id", "analysis id")],
   responses={"200": ok("the analysis", ref("Analysis")), "404": E("no such analysis")})
op("post", "/api/v1/analysis/{id}/approve", "analysis", "Apply a held recommendation through the Action Manager", "operator", params=[p("id", "analysis id")],
   responses={"200": ok("approved", ref("Analysis")), "404": E("no such analysis"), "409": E("not held")})
op("post", "/api/v1/analysis/{id}/reject", "analysis", "Drop a held recommendation", "operator", params=[p("id", "analysis id")],
   responses={"200": ok("rejected", ref("Analysis")), "404": E("no such analysis"), "409": E("not held")})
op("get", "/api/v1/analysis/prompts", "analysis", "The analysis prompts and their placeholders", "viewer",
   responses={"200": ok("prompts", {"type": "object"})})
op("put", "/api/v1/analysis/prompts/{id}", "analysis", "Change a prompt (audited)", "admin", params=[p("id", "prompt id")],
   body={"type": "object", "required": ["text"], "properties": {"name": S, "text": S}}, responses={"200": ok("the prompt now", {"type": "object"})})
op("get", "/api/v1/alarms", "alarms", "Alarms: open ones from the engine, history from ClickHouse (docs/alarms.md), newest raised first", "viewer",
   params=[q("state", "open (default), raised, acknowledged, cleared or all"), q("severity", "minimum: info, warning, critical"),
           q("channel", "dhcp, detector, automation, system"), q("category", "security, traffic, client, health"), q("kind", "the rule"),
           q("q", "substring of the source key, title or a party's id")] + TIME + [q("limit", "most", {"type": "integer"})],
   responses={"200": ok("alarms", {"type": "object", "properties": {"alarms": {"type": "array", "items": ref("StatefulAlarm")}, "open": {"type": "object"}}})})
op("get", "/api/v1/alarms/summary", "alarms", "Open alarms by state and severity, the latest ten (the bell)", "viewer",
   responses={"200": ok("summary", {"type": "object", "properties": {"raised": {"type": "integer"}, "acknowledged": {"type": "integer"},
       "by_severity": {"type": "object"}, "latest": {"type": "array", "items": ref("StatefulAlarm")}}})})
op("get", "/api/v1/alarms/{id}", "alarms", "One alarm with its context and the history of its transitions", "viewer", params=[p("id", "alarm id")],
   responses={"200": ok("the alarm", ref("StatefulAlarm")), "404": E("no such alarm")})
op("post", "/api/v1/alarms/{id}/acknowledge", "alarms", "Acknowledge an open alarm (optional body {note})", "operator", params=[p("id", "alarm id")],
   responses={"200": ok("the alarm now", ref("StatefulAlarm")), "404": E("no open alarm"), "409": E("already acknowledged or cleared")})
op("post", "/api/v1/alarms/{id}/clear", "alarms", "Clear an open alarm (optional body {note})", "operator", params=[p("id", "alarm id")],
   responses={"200": ok("the alarm now", ref("StatefulAlarm")), "404": E("no open alarm"), "409": E("already cleared")})
op("get", "/api/v1/notifications", "alarms", "Notification routes, sinks with their state and counters, and the limits", "viewer",
   responses={"200": ok("settings", {"type": "object", "properties": {"routes": {"type": "array", "items": ref("NotificationRoute")}, "sinks": {"type": "array"}, "limits": {"type": "object"}}})})
op("post", "/api/v1/notifications/routes", "alarms", "Create a route (audited)", "operator", body=ref("NotificationRoute"),
   responses={"201": ok("the route", ref("NotificationRoute"))})
op("put", "/api/v1/notifications/routes/{id}", "alarms", "Replace a route (audited)", "operator", params=[p("id", "route id")], body=ref("NotificationRoute"),
   responses={"200": ok("the route", ref("NotificationRoute")), "404": E("no such route")})
op("delete", "/api/v1/notifications/routes/{id}", "alarms", "Delete a route (audited)", "operator", params=[p("id", "route id")],
   responses={"204": {"description": "deleted"}, "404": E("no such route")})
op("post", "/api/v1/notifications/test", "alarms", "Send a test notification through one sink now", "operator",
   body={"type": "object", "required": ["sink"], "properties": {"sink": S}}, responses={"200": ok("taken or not", {"type": "object"})})

# ---- operator tools: Firewall Manager and Flow Visualizer (docs/firewall.md), packet capture (docs/capture.md)
O = {"type": "object"}
RS = {"type": "object", "description": "A ruleset: nft -j list objects of table inet dhcp_inspection", "required": ["nftables"], "properties": {"nftables": {"type": "array", "items": O}}}
APPLY = {"type": "object", "properties": {"ok": {"type": "boolean"}, "apply": ref("FirewallApply"), "kernel_error": S, "errors": {"type": "array", "items": O}}}
op("get", "/api/v1/firewall/rulesets", "firewall", "Rulesets (latest version of each, active ones in apply order) and the kernel's state: installed, drift, last apply", "viewer",
   params=[q("deleted", "true: also the deleted ones")], responses={"200": ok("rulesets", O)})
op("post", "/api/v1/firewall/rulesets", "firewall", "Save a ruleset from body, from_profile, from_kernel or copy_of; an existing name needs force (never edit in place); audited", "operator",
   body={"type": "object", "required": ["name"], "properties": {"name": S, "comment": S, "body": RS, "from_profile": S, "from_kernel": {"type": "boolean"}, "copy_of": O, "force": {"type": "boolean"}}},
   responses={"201": ok("the saved version with its body", O), "409": E("the name exists (code exists)")})
op("get", "/api/v1/firewall/rulesets/{name}", "firewall", "A ruleset's versions (newest first) and its latest body", "viewer", params=[p("name", "ruleset name")],
   responses={"200": ok("versions", O), "404": E("no such ruleset")})
op("delete", "/api/v1/firewall/rulesets/{name}", "firewall", "Soft delete (hidden, kept; refused while active); audited", "operator", params=[p("name", "ruleset name")],
   responses={"204": {"description": "hidden"}, "404": E("no such ruleset"), "409": E("active (code active)")})
op("post", "/api/v1/firewall/rulesets/{name}/undelete", "firewall", "Bring a deleted ruleset back; audited", "operator", params=[p("name", "ruleset name")],
   responses={"200": ok("the ruleset", O), "404": E("no such ruleset")})
op("get", "/api/v1/firewall/rulesets/{name}/versions/{version}", "firewall", "One version with its body", "viewer", params=[p("name", "ruleset name"), p("version", "version number")],
   responses={"200": ok("the version", O), "404": E("no such version")})
op("post", "/api/v1/firewall/validate", "firewall", "The kernel's verdict (a dry run of the exact transaction) with the offending objects located", "operator",
   body={"type": "object", "required": ["body", "mode"], "properties": {"body": RS, "mode": {"type": "string", "enum": ["merge", "swap"]}}}, responses={"200": ok("ok, or the errors", O)})
op("post", "/api/v1/firewall/apply", "firewall", "Apply rulesets in order (merge: non-disruptive; swap: a clean table) in one transaction; they become the active set; audited", "operator",
   body={"type": "object", "required": ["mode", "rulesets"], "properties": {"mode": {"type": "string", "enum": ["merge", "swap"]}, "rulesets": {"type": "array", "items": O}}},
   responses={"200": ok("applied", APPLY), "422": ok("refused by the kernel; the running ruleset is untouched", APPLY)})
op("post", "/api/v1/firewall/rollback", "firewall", "Re-apply exactly what an earlier apply applied (swap); audited", "operator",
   body={"type": "object", "required": ["apply_id"], "properties": {"apply_id": S}}, responses={"200": ok("applied", APPLY), "422": ok("refused", APPLY), "404": E("no such apply")})
op("get", "/api/v1/firewall/applies", "firewall", "Every apply, rollback and start-up apply, newest first", "viewer", params=[q("limit", "most", {"type": "integer"})],
   responses={"200": ok("applies", {"type": "object", "properties": {"applies": {"type": "array", "items": ref("FirewallApply")}}})})
op("get", "/api/v1/firewall/kernel", "firewall", "The running table as a ruleset (terse, stateless) and its drift", "viewer", responses={"200": ok("the kernel", O)})
op("get", "/api/v1/firewall/diff", "firewall", "A ruleset version ('-') against the running kernel ('+'), every line", "viewer",
   params=[q("name", "ruleset name", required=True), q("version", "version (default the latest)", {"type": "integer"})], responses={"200": ok("lines", O), "404": E("no such ruleset")})
op("get", "/api/v1/firewall/export", "firewall", "An export bundle (format dhcp-shield-rulesets/1) of the named rulesets, or all", "viewer", params=[q("names", "comma separated")],
   responses={"200": ok("the bundle", O)})
op("post", "/api/v1/firewall/import", "firewall", "Import a bundle: new names, or new versions with force=true; audited", "operator", params=[q("force", "true: new versions of existing names")],
   body=O, responses={"200": ok("imported and skipped", O)})
op("get", "/api/v1/firewall/flow/types", "firewall", "The message types the Flow Visualizer draws", "viewer", responses={"200": ok("types", O)})
op("get", "/api/v1/firewall/flow", "firewall", "The path one message type takes through the running (or a stored) ruleset, with live counters and set sizes", "viewer",
   params=[q("type", "v4_discover, or DISCOVER when only one family has it", required=True), q("direction", "inbound (default) or outbound"), q("name", "a stored ruleset instead of the kernel"), q("version", "its version", {"type": "integer"})],
   responses={"200": ok("the steps", O)})
op("post", "/api/v1/bulk/preview", "bulk", "How many clients the criteria select, and a random sample (docs/bulk.md)", "operator",
   body={"type": "object", "required": ["criteria"], "properties": {"criteria": ref("BulkCriteria"), "sample": {"type": "integer"}}}, responses={"200": ok("count and sample", O)})
op("post", "/api/v1/bulk/jobs", "bulk", "Submit a job: one action on the selected clients in batches, now or at run_at; audited", "operator",
   body={"type": "object", "required": ["criteria", "action"], "properties": {"criteria": ref("BulkCriteria"), "action": S, "duration_seconds": {"type": "integer"},
   "reason": S, "batch_size": {"type": "integer"}, "run_at": S}}, responses={"201": ok("the job", ref("BulkJob"))})
op("get", "/api/v1/bulk/jobs", "bulk", "Jobs, newest first, with their progress", "viewer", params=[q("limit", "most", {"type": "integer"})],
   responses={"200": ok("jobs", {"type": "object", "properties": {"jobs": {"type": "array", "items": ref("BulkJob")}}})})
op("get", "/api/v1/bulk/jobs/{id}", "bulk", "One job", "viewer", params=[p("id", "job id")], responses={"200": ok("the job", ref("BulkJob")), "404": E("no such job")})
op("post", "/api/v1/bulk/jobs/{id}/cancel", "bulk", "Cancel a scheduled job, or a running one before its next batch; audited", "operator", params=[p("id", "job id")],
   responses={"200": ok("the job", ref("BulkJob")), "404": E("no such job"), "409": E("the job has finished")})
op("get", "/api/v1/captures", "capture", "Capture sessions, newest first, with the counters and the storage in use", "viewer", responses={"200": ok("captures", O)})
op("post", "/api/v1/captures", "capture", "Start a capture session (filter, bounds); audited", "operator",
   body={"type": "object", "properties": {"label": S, "filter": O, "max_packets": {"type": "integer"}, "max_bytes": {"type": "integer"}, "max_seconds": {"type": "integer"}}},
   responses={"201": ok("the session", ref("Capture")), "409": E("too many sessions running")})
op("get", "/api/v1/captures/{id}", "capture", "One capture session", "viewer", params=[p("id", "capture id")], responses={"200": ok("the session", ref("Capture")), "404": E("no such capture")})
op("delete", "/api/v1/captures/{id}", "capture", "Delete a capture and its file; audited", "operator", params=[p("id", "capture id")], responses={"204": {"description": "deleted"}, "404": E("no such capture")})
op("post", "/api/v1/captures/{id}/stop", "capture", "Stop a running capture; audited", "operator", params=[p("id", "capture id")], responses={"200": ok("the session", ref("Capture")), "404": E("no such capture")})
op("get", "/api/v1/captures/{id}/download", "capture", "The pcapng file, streamed (attachment capture-<id>.pcapng); audited", "operator", params=[p("id", "capture id")],
   responses={"200": {"description": "pcapng", "content": {"application/x-pcapng": {"schema": {"type": "string", "format": "binary"}}}}, "404": E("no such capture")})

schemas = {
 "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message", "field"],
    "properties": {"code": {"type": "string", "enum": ["invalid_request", "unauthorized", "forbidden", "not_found", "method_not_allowed", "conflict", "body_too_large",
        "unsupported_media_type", "too_many_requests", "not_ready", "upgrade_required", "kernel_error", "internal_error"]},
        "message": S, "field": {"type": "string", "nullable": True}}}}},
 "Login": {"type": "object", "required": ["username", "password"], "properties": {"username": S, "password": S}},
 "Tokens": {"type": "object", "properties": {"access_token": S, "refresh_token": S, "token_type": S, "expires_in": {"type": "integer"}, "refresh_expires_at": S}},
 "User": {"type": "object", "properties": {"username": S, "role": {"type": "string", "enum": ["viewer", "operator", "admin"]}, "disabled": {"type": "boolean"}, "updated_at": S}},
 "NewUser": {"type": "object", "required": ["username", "password", "role"], "properties": {"username": S, "password": S, "role": {"type": "string", "enum": ["viewer", "operator", "admin"]}}},
 "UserChange": {"type": "object", "properties": {"role": S, "disabled": {"type": "boolean"}, "password": S, "current_password": S}},
 "Event": {"type": "object", "description": "One event, schema version 1 (docs/events.md)", "properties": {k: S for k in
    ["time", "site", "direction", "msg_type", "inner_msg_type", "xid", "mark", "mark_type", "client_mark", "mark_source", "client_mac", "duid", "client_id", "hostname",
     "src_ip", "dst_ip", "relay_ip", "circuit_id", "remote_id", "subscriber_id", "requested_ip", "assigned_ip", "prefix", "server_id", "server_duid"]}},
 "Action": {"type": "object", "properties": {"id": S, "action": S, "state": S, "target": {"type": "object"}, "actor": S, "reason": S, "duration_secs": {"type": "integer"},
    "kernel_timeout_secs": {"type": "integer"}, "at": S, "expires_at": S, "ended_at": S, "ended_by": S}},
 "ActionRequest": {"type": "object", "required": ["action", "targets"], "properties": {"action": {"type": "string", "enum": ["block", "deny", "throttle", "monitor", "allow", "cleanup", "analyze"]},
    "targets": {"type": "array", "items": S, "maxItems": 1000}, "duration_secs": {"type": "integer"}, "reason": S}},
 "ActionOutcome": {"type": "object", "properties": {"ok": {"type": "boolean"}, "records": {"type": "array", "items": ref("Action")}}},
 "Binding": {"type": "object", "properties": {k: S for k in ["ip", "prefix", "lease_start", "lease_end", "client_mac", "duid", "client_id", "hostname", "circuit_id", "remote_id", "relay_ip", "server_id"]}},
 "Device": {"type": "object", "properties": {"client": S, "kind": S, "events": {"type": "integer"}, "identity": {"type": "object"}, "fingerprint": {"type": "object"},
    "fingerprint_history": {"type": "object"}, "relays": {"type": "array"}, "bindings": {"type": "array", "items": ref("Binding")}, "enforcement": {"type": "array", "items": ref("Action")}, "actions": {"type": "array", "items": ref("Action")}}},
 "Rule": {"type": "object", "description": "An automation rule (docs/automation.md)", "required": ["id", "name"]},
 "StoredRule": {"type": "object", "properties": {"rule": ref("Rule"), "version": {"type": "integer"}, "updated_by": S, "updated_at": S}},
 "Run": {"type": "object", "properties": {"at": S, "rule_id": S, "rule_name": S, "trigger": {"type": "string", "enum": ["schedule", "manual", "dry_run"]},
    "duration_ms": {"type": "integer"}, "matched": {"type": "integer"}, "acted": {"type": "integer"}, "suppressed": {"type": "integer"}, "superseded": {"type": "integer"}, "error": S}},
 "RunReport": {"type": "object", "properties": {"run": ref("Run"), "window": {"type": "object"}, "hits": {"type": "array", "items": {"type": "object", "properties": {
    "key": {"type": "object"}, "value": {"type": "number"}, "tier": {"type": "integer"}, "threshold": {"type": "number"}, "outcome": S, "duration_minutes": {"type": "integer"},
    "status": {"type": "string", "enum": ["acted", "alarmed", "suppressed", "superseded", "failed", "would_act", "would_alarm", "would_be_suppressed"]}, "detail": S,
    "clients": {"type": "array", "items": {"type": "object", "properties": {"target": {"type": "object"}, "value": {"type": "number"}}}}}}}}},
 "Alarm": {"type": "object", "properties": {"id": S, "time": S, "source": S, "kind": S, "severity": S, "subject": S, "message": S, "context": {"type": "object"}}},
 "StatefulAlarm": {"type": "object", "description": "An alarm of the alarms engine (docs/alarms.md)", "properties": {k: S for k in
    ["id", "source_key", "channel", "category", "kind", "severity", "state", "title", "message", "raised_at", "last_seen", "acknowledged_at", "acknowledged_by", "cleared_at", "cleared_by"]}},
 "NotificationRoute": {"type": "object", "required": ["name", "sinks"], "properties": {"id": S, "name": S, "enabled": {"type": "boolean"},
    "channels": {"type": "array", "items": S}, "categories": {"type": "array", "items": S}, "min_severity": S, "source_key_regex": S, "sinks": {"type": "array", "items": S}}},
 "Enqueued": {"type": "object", "properties": {"status": {"type": "string", "enum": ["queued", "duplicate"]}, "id": S, "message": S}},
 "Analysis": {"type": "object", "properties": {"id": S, "requested_at": S, "target": {"type": "object"}, "requested_by": S, "state": S, "recommendation": S,
    "reason": S, "model": S, "prompt_id": S, "latency_ms": {"type": "integer"}, "error": S, "updated_at": S}},
 "FirewallApply": {"type": "object", "properties": {"id": S, "at": S, "actor": S, "mode": S, "rulesets": {"type": "array", "items": S}, "ok": {"type": "boolean"},
    "stage": S, "error": S, "ms": {"type": "number"}, "rollback_of": {"type": "string", "nullable": True}}},
 "BulkCriteria": {"type": "object", "properties": {"since": S, "until": S, "past_action": S, "relay": S, "circuit": S, "vendor_class": S, "fingerprint": S,
    "message_type": S, "min_requests": {"type": "integer"}, "family": {"type": "integer"}, "site": S}},
 "BulkJob": {"type": "object", "properties": {"id": S, "state": S, "action": S, "reason": S, "created_by": S, "created_at": S, "run_at": S, "started_at": S, "finished_at": S,
    "total": {"type": "integer"}, "done": {"type": "integer"}, "failed": {"type": "integer"}, "batches": {"type": "integer"}, "error": S}},
 "Capture": {"type": "object", "properties": {k: S for k in ["id", "label", "state", "stop_reason", "started_at", "stopped_at", "created_by"]}},
 "Ready": {"type": "object", "properties": {"ready": {"type": "boolean"}, "mode": {"type": "string", "enum": ["inline", "passive"]}, "collector_agents": {"type": "integer"}, "queues": {"type": "integer"}, "queues_bound": {"type": "integer"}, "transport": S, "queue_mode": S,
    "clickhouse": S, "ruleset": S, "fail_open_in_effect": {"type": "boolean"}, "services": {"type": "array"}}},
}
doc = {"openapi": "3.0.3",
       "info": {"title": "DHCP Shield API", "version": "1", "description": "The appliance's public surface. One error shape everywhere: {\"error\": {\"code\", \"message\", \"field\"}}. x-access names the least role: public, viewer, operator, admin."},
       "servers": [{"url": "/"}],
       "tags": [{"name": t} for t in ["status", "auth", "users", "events", "devices", "bindings", "actions", "config", "stats", "audit", "automation", "analysis", "alarms", "firewall", "bulk", "capture", "stream"]],
       "paths": paths,
       "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}, "schemas": schemas}}
print(json.dumps(doc, indent=1))
