package io.dhcpshield.api.auth;

import io.dhcpshield.api.http.ApiError;
import io.dhcpshield.api.http.Principal;
import io.dhcpshield.api.http.Role;
import io.dhcpshield.core.metrics.MetricWriter;
import io.dhcpshield.core.service.Deferred;
import io.dhcpshield.core.time.Time;
import io.dhcpshield.storage.AuditEntry;
import io.dhcpshield.storage.AuditLog;
import io.dhcpshield.storage.Revocation;
import io.dhcpshield.storage.StoredUser;
import io.dhcpshield.storage.TokenRevocations;
import io.dhcpshield.storage.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Users and sessions: login (rate-limited, timing-flat for unknown users), refresh rotation with reuse detection,
 * logout, and user administration. Users, revocations and the audit trail live in ClickHouse, which arrives late
 * ({@link Stores}): until the stores are there and the revocations are loaded, everything that needs them answers
 * "not ready" (503). Every change is written to {@code users_audit_log} with its actor.
 */
public final class Accounts {

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);
    public static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]{1,31}");
    public static final String INITIAL_ADMIN = "admin";
    /** How often revocations written by others (user-manager, another node) are read back. */
    public static final int RELOAD_SECONDS = 30;

    /** The ClickHouse-backed stores, once storage is connected. */
    public record Stores(UserStore users, TokenRevocations revocations, AuditLog audit) {
    }

    private final Deferred<Stores> stores;
    private final Deferred<Boolean> loaded = new Deferred<>("authentication",
            "waiting for ClickHouse (users and token revocations)");
    private final TokenService tokens;
    private final Revocations revocations;
    private final LoginLimiter limiter;
    private final Time time;
    private final Path initialPasswordFile;
    private final Map<String, LongAdder> logins = new ConcurrentHashMap<>();
    private final java.util.List<reactor.core.Disposable> periodic = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Accounts(Deferred<Stores> stores, TokenService tokens, Revocations revocations, LoginLimiter limiter,
                    Time time, Path initialPasswordFile) {
        this.stores = stores;
        this.tokens = tokens;
        this.revocations = revocations;
        this.limiter = limiter;
        this.time = time;
        this.initialPasswordFile = initialPasswordFile;
    }

    /**
     * Once the stores arrive: loads the revocations (until then no token is accepted, so a revoked one cannot slip
     * through after a restart), creates the first admin when there are no users, then prunes expired revocations
     * every hour on {@code scheduler}.
     */
    public reactor.core.Disposable start(Scheduler scheduler) {
        return stores.await().flatMap(s -> s.revocations().active(time.now())
                        .doOnNext(this::remember)
                        .then(s.users().list().hasElements())
                        .flatMap(any -> any ? Mono.empty() : createInitialAdmin(s))
                        .then(Mono.fromRunnable(() -> {
                            loaded.complete(true);
                            periodic.add(scheduler.schedulePeriodically(() -> revocations.prune(time.now()), 1, 1,
                                    java.util.concurrent.TimeUnit.HOURS));
                            // Revocations written elsewhere (user-manager, another node) apply within this period.
                            periodic.add(scheduler.schedulePeriodically(() -> s.revocations().active(time.now())
                                    .doOnNext(this::remember)
                                    .onErrorResume(e -> {
                                        log.warn("reloading token revocations failed: {}", e.toString());
                                        return Mono.empty();
                                    }).subscribe(), RELOAD_SECONDS, RELOAD_SECONDS,
                                    java.util.concurrent.TimeUnit.SECONDS));
                        })))
                .retryWhen(reactor.util.retry.Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1))
                        .maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(r -> {
                            loaded.waiting("loading users and revocations failed: " + r.failure().getMessage());
                            log.warn("authentication: {}", loaded.reason());
                        }))
                .subscribe();
    }

    /** Stops the periodic work {@link #start} scheduled. */
    public void stop() {
        periodic.forEach(reactor.core.Disposable::dispose);
    }

    /** The gate for every authenticated request: revocations must be loaded. */
    public void requireLoaded() {
        loaded.require();
    }

    public boolean isLoaded() {
        return loaded.isReady();
    }

    private void remember(Revocation r) {
        switch (r.kind()) {
            case TOKEN -> revocations.revokeToken(r.id(), reason(r.reason()), r.expiresAt());
            case FAMILY -> revocations.revokeFamily(r.id(), reason(r.reason()), r.expiresAt());
            case USER -> revocations.revokeUser(r.username(), r.revokedAt(), r.expiresAt());
        }
    }

    private static Revocations.Reason reason(String text) {
        try {
            return Revocations.Reason.valueOf(text.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Revocations.Reason.ADMIN;
        }
    }

    private Mono<Void> createInitialAdmin(Stores s) {
        String password = Passwords.generate(20);
        StoredUser admin = new StoredUser(INITIAL_ADMIN, Passwords.hash(password), Role.ADMIN.label(), false,
                time.now());
        return s.users().put(admin)
                .then(audit(s, "system", INITIAL_ADMIN, "user.create", INITIAL_ADMIN, "{\"role\":\"admin\","
                        + "\"initial\":true}"))
                .then(Mono.fromRunnable(() -> {
                    try {
                        Path dir = initialPasswordFile.toAbsolutePath().getParent();
                        if (dir != null) {
                            Files.createDirectories(dir);
                        }
                        // Written whole, then moved into place: a reader never sees it empty.
                        Path tmp = initialPasswordFile.resolveSibling(initialPasswordFile.getFileName() + ".tmp");
                        Files.deleteIfExists(tmp);
                        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
                        Files.writeString(tmp, password + "\n", StandardCharsets.UTF_8);
                        Files.move(tmp, initialPasswordFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        log.error("could not write {}: {}", initialPasswordFile, e.toString());
                    }
                    // Never the password itself: logs are shipped and kept; the file is readable by root only.
                    log.warn("first start: created user '{}' with a one-time password, in {} (mode 0600); change it "
                            + "after logging in", INITIAL_ADMIN, initialPasswordFile);
                }));
    }

    // ---------------------------------------------------------------- sessions

    /** Checks the password and issues a session; 401 for a wrong name or password or a disabled user, alike. */
    public Mono<TokenService.Tokens> login(String username, String password, String remote) {
        return Mono.defer(() -> {
            Stores s = ready();
            Duration wait = limiter.blockedFor(username, remote);
            if (wait != null) {
                count("rate_limited");
                return Mono.error(ApiError.tooManyRequests("too many failed logins; try again later", wait));
            }
            return s.users().find(username).map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                    .publishOn(reactor.core.scheduler.Schedulers.boundedElastic())
                    .flatMap(found -> {
                        StoredUser u = found.orElse(null);
                        boolean ok = Passwords.verify(password, u == null ? null : u.passwordHash());
                        if (!ok || u.disabled()) {
                            limiter.failed(username, remote);
                            count(u == null ? "unknown_user" : !ok ? "bad_password" : "disabled");
                            return audit(s, username, username, "auth.login_failed", remote, "{}")
                                    .then(Mono.error(ApiError.unauthorized("invalid username or password")));
                        }
                        limiter.succeeded(username);
                        count("ok");
                        TokenService.Tokens t = tokens.issue(u.username(), Role.parse(u.role()), null);
                        return audit(s, u.username(), u.username(), "auth.login", remote, "{}").thenReturn(t);
                    });
        });
    }

    /** Rotates a refresh token: a new pair in the same family; a reused one revokes the family (401). */
    public Mono<TokenService.Tokens> refresh(String refreshToken) {
        return Mono.defer(() -> {
            Stores s = ready();
            TokenService.Refresh r = tokens.verifyRefresh(refreshToken);
            if (!tokens.rotate(r)) {
                Instant now = time.now();
                return s.revocations().add(new Revocation(Revocation.Kind.FAMILY, r.family(), r.username(), now,
                                now.plus(tokens.refreshTtl()), "reuse", "system"))
                        .then(audit(s, "system", r.username(), "auth.refresh_reuse", r.family(), "{}"))
                        .then(Mono.error(ApiError.unauthorized("refresh token already used: every session of this "
                                + "login is revoked; log in again")));
            }
            return s.revocations().add(new Revocation(Revocation.Kind.TOKEN, r.tokenId(), r.username(), time.now(),
                            later(r.expiresAt()), "rotated", r.username()))
                    .then(s.users().find(r.username()))
                    .switchIfEmpty(Mono.error(ApiError.unauthorized("user no longer exists")))
                    .flatMap(u -> u.disabled() ? Mono.error(ApiError.unauthorized("user disabled"))
                            : Mono.just(tokens.issue(u.username(), Role.parse(u.role()), r.family())));
        });
    }

    /** Ends the caller's session: its refresh family (and so every token of this login) is revoked. */
    public Mono<Void> logout(Principal p) {
        return Mono.defer(() -> {
            Stores s = ready();
            Instant now = time.now();
            revocations.revokeFamily(p.family(), Revocations.Reason.LOGOUT, now.plus(tokens.refreshTtl()));
            return s.revocations().add(new Revocation(Revocation.Kind.FAMILY, p.family(), p.username(), now,
                            now.plus(tokens.refreshTtl()), "logout", p.username()))
                    .then(audit(s, p.username(), p.username(), "auth.logout", p.family(), "{}"));
        });
    }

    // ---------------------------------------------------------------- users

    public Flux<StoredUser> list() {
        return Flux.defer(() -> ready().users().list());
    }

    public Mono<StoredUser> find(String username) {
        return Mono.defer(() -> ready().users().find(username));
    }

    /** Creates a user; 409 when the name is taken. */
    public Mono<StoredUser> create(String actor, String username, String password, Role role) {
        checkName(username);
        checkPassword(password);
        return Mono.defer(() -> {
            Stores s = ready();
            return s.users().find(username).hasElement().flatMap(exists -> {
                if (exists) {
                    return Mono.error(ApiError.conflict("user '" + username + "' exists"));
                }
                StoredUser u = new StoredUser(username, Passwords.hash(password), role.label(), false, time.now());
                return s.users().put(u).then(audit(s, actor, username, "user.create", username,
                        "{\"role\":\"" + role.label() + "\"}")).thenReturn(u);
            });
        });
    }

    /**
     * Changes a user: role, disabled, password (any subset). A password change by the user themselves needs the
     * current one. Any change ends the user's existing sessions (their tokens carry the old role).
     */
    public Mono<StoredUser> update(Principal caller, String username, Role role, Boolean disabled, String password,
                                   String currentPassword) {
        if (password != null) {
            checkPassword(password);
        }
        boolean self = caller.username().equals(username);
        boolean admin = caller.role() == Role.ADMIN;
        if (!admin && (!self || role != null || disabled != null)) {
            return Mono.error(ApiError.forbidden("only an admin changes other users, roles or the disabled flag"));
        }
        return Mono.defer(() -> {
            Stores s = ready();
            return s.users().find(username)
                    .switchIfEmpty(Mono.error(ApiError.notFound("no user '" + username + "'")))
                    .publishOn(reactor.core.scheduler.Schedulers.boundedElastic())
                    .flatMap(u -> {
                        if (self && !admin && (currentPassword == null
                                || !Passwords.verify(currentPassword, u.passwordHash()))) {
                            return Mono.error(ApiError.forbidden("the current password is required and must match"));
                        }
                        if (self && Boolean.TRUE.equals(disabled)) {
                            return Mono.error(ApiError.conflict("an admin cannot disable their own account"));
                        }
                        if (self && role != null && role != Role.ADMIN && admin) {
                            return Mono.error(ApiError.conflict("an admin cannot lower their own role"));
                        }
                        StoredUser next = new StoredUser(u.username(),
                                password != null ? Passwords.hash(password) : u.passwordHash(),
                                role != null ? role.label() : u.role(),
                                disabled != null ? disabled : u.disabled(), time.now());
                        StringBuilder detail = new StringBuilder("{");
                        if (role != null) {
                            detail.append("\"role\":{\"old\":\"").append(u.role()).append("\",\"new\":\"")
                                    .append(role.label()).append("\"}");
                        }
                        if (disabled != null) {
                            detail.append(detail.length() > 1 ? "," : "").append("\"disabled\":").append(disabled);
                        }
                        if (password != null) {
                            detail.append(detail.length() > 1 ? "," : "").append("\"password\":\"changed\"");
                        }
                        detail.append('}');
                        return s.users().put(next)
                                .then(revokeUser(s, caller.username(), username, "user changed"))
                                .then(audit(s, caller.username(), username, "user.update", username,
                                        detail.toString()))
                                .then(Mono.fromRunnable(() -> {
                                    if (password != null && username.equals(INITIAL_ADMIN)) {
                                        try {
                                            Files.deleteIfExists(initialPasswordFile);
                                        } catch (IOException e) {
                                            log.warn("could not remove {}: {}", initialPasswordFile, e.toString());
                                        }
                                    }
                                }))
                                .thenReturn(next);
                    });
        });
    }

    public Mono<Void> delete(Principal caller, String username) {
        if (caller.username().equals(username)) {
            return Mono.error(ApiError.conflict("an admin cannot delete their own account"));
        }
        return Mono.defer(() -> {
            Stores s = ready();
            return s.users().find(username)
                    .switchIfEmpty(Mono.error(ApiError.notFound("no user '" + username + "'")))
                    .flatMap(u -> s.users().delete(username)
                            .then(revokeUser(s, caller.username(), username, "user deleted"))
                            .then(audit(s, caller.username(), username, "user.delete", username, "{}")));
        });
    }

    private Mono<Void> revokeUser(Stores s, String actor, String username, String why) {
        Instant now = time.now();
        Instant until = now.plus(tokens.refreshTtl());
        revocations.revokeUser(username, now, until);
        return s.revocations().add(new Revocation(Revocation.Kind.USER, "", username, now, until, why, actor));
    }

    /** Writes one audit row (any change: users, config, actions). */
    public Mono<Void> audit(String actor, String username, String action, String target, String detail) {
        return Mono.defer(() -> audit(ready(), actor, username, action, target, detail));
    }

    private Mono<Void> audit(Stores s, String actor, String username, String action, String target, String detail) {
        return s.audit().write(new AuditEntry(time.now(), actor, username, action, target, detail));
    }

    public AuditLog auditLog() {
        return ready().audit();
    }

    private Stores ready() {
        return stores.require();
    }

    private static void checkName(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw ApiError.badRequest("username", "username: 2-32 characters, lower-case letters, digits, '.', '_' "
                    + "or '-', starting with a letter");
        }
    }

    private static void checkPassword(String password) {
        String problem = Passwords.problem(password);
        if (problem != null) {
            throw ApiError.badRequest("password", problem);
        }
    }

    private static Instant later(Instant t) {
        return t.plusSeconds(60);
    }

    private void count(String outcome) {
        logins.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    public void metrics(MetricWriter out) {
        logins.forEach((outcome, n) -> out.counter("auth_logins", "login attempts by outcome", n.sum(),
                "outcome", outcome));
        out.gauge("auth_ready", "1 once users and revocations are loaded", loaded.isReady() ? 1 : 0);
    }
}
