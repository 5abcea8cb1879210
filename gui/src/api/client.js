/**
 * The one API client: every page goes through it. The access token lives in memory only; the refresh token in
 * sessionStorage (survives a reload, not the tab). A 401 triggers one refresh shared by every request in flight —
 * refresh tokens rotate and presenting a spent one revokes the whole login (docs/api.md), so two parallel refreshes
 * would log the user out — then the request is retried once. When the refresh fails the session is over.
 */

export const REFRESH_KEY = 'dhcp-shield.refresh';

/**
 * An API answer that was not 2xx, with the API's error shape {"error": {code, message, field}}. `fields` is the
 * per-field problems ({"criteria.relay": "not an IP address"}) when the API names several, and `body` the whole
 * answer: a refusal may carry more than the error (an apply's 422 carries the apply record and the kernel's error).
 */
export class ApiError extends Error {
  constructor(status, code, message, field, { fields = null, body = null } = {}) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || (status === 0 ? 'unreachable' : `http_${status}`);
    this.field = field || null;
    this.fields = fields && typeof fields === 'object' ? fields : null;
    this.body = body;
  }
}

/** The error of an answer's body: the nested shape, or the flat {"error": code, "message", "fields"} one. */
export function errorFromBody(status, body, statusText = '') {
  const e = body && body.error;
  if (e && typeof e === 'object') return new ApiError(status, e.code, e.message, e.field, { fields: e.fields || body.fields, body });
  if (typeof e === 'string') return new ApiError(status, e, body.message, body.field, { fields: body.fields, body });
  const message = body && typeof body.message === 'string' ? body.message : `${status} ${statusText}`.trim();
  return new ApiError(status, null, message, null, { fields: body && body.fields, body });
}

async function errorFrom(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  return errorFromBody(res.status, body, res.statusText || '');
}

/** The file name of a Content-Disposition header (`filename*=UTF-8''…` first, then `filename="…"`), else `fallback`. */
export function filenameFromDisposition(header, fallback) {
  const h = header || '';
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(h);
  let name = null;
  if (star) {
    try {
      name = decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      name = null;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(h);
    if (plain) name = (plain[2] != null ? plain[2] : plain[1]).trim();
  }
  // a name, never a path
  name = name ? name.split(/[\\/]/).pop() : '';
  return name || fallback;
}

export function createClient({ fetch: fetchFn = (...a) => globalThis.fetch(...a), storage = globalThis.sessionStorage, base = '' } = {}) {
  let access = null;
  let refreshing = null; // the one refresh in flight
  const listeners = new Set();

  const store = {
    get: () => (storage ? storage.getItem(REFRESH_KEY) : null),
    set: (t) => storage && (t ? storage.setItem(REFRESH_KEY, t) : storage.removeItem(REFRESH_KEY)),
  };

  function emit(kind) {
    for (const l of listeners) l(kind);
  }

  function setTokens(t) {
    access = t.access_token;
    store.set(t.refresh_token);
  }

  function clear() {
    access = null;
    store.set(null);
  }

  async function raw(method, path, { query, body, token, accept = 'application/json' } = {}) {
    let url = base + path;
    if (query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
      const s = q.toString();
      if (s) url += '?' + s;
    }
    const headers = { Accept: accept };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = 'Bearer ' + token;
    let res;
    try {
      res = await fetchFn(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      emit('unavailable');
      throw new ApiError(0, 'unreachable', 'the appliance did not answer: ' + (e && e.message ? e.message : e));
    }
    // 503: the appliance or a dependency (ClickHouse) is not ready; whoever shows readiness should look again now
    if (res.status === 503 && !path.startsWith('/api/v1/ready')) emit('unavailable');
    return res;
  }

  /** One refresh for everyone: callers that arrive while it runs get the same promise. */
  function refresh() {
    if (refreshing) return refreshing;
    const rt = store.get();
    if (!rt) return Promise.resolve(false);
    refreshing = (async () => {
      try {
        const res = await raw('POST', '/api/v1/auth/refresh', { body: { refresh_token: rt } });
        if (!res.ok) {
          clear();
          emit('expired');
          return false;
        }
        setTokens(await res.json());
        emit('refreshed');
        return true;
      } catch {
        // unreachable: keep the refresh token, the next request tries again
        return false;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  /** The answer to a request with the session's token: one refresh and retry on 401; a 401 after it ends the session. */
  async function send(method, path, opts = {}) {
    if (!access && store.get()) await refresh();
    const used = access;
    let res = await raw(method, path, { ...opts, token: used });
    if (res.status === 401 && store.get()) {
      // another request may have refreshed while this one was out: only refresh if the token is still the one used
      const ok = access && access !== used ? true : await refresh();
      if (ok) res = await raw(method, path, { ...opts, token: access });
    }
    if (res.status === 401) {
      if (access || store.get()) {
        clear();
        emit('expired');
      }
      throw await errorFrom(res);
    }
    if (!res.ok) throw await errorFrom(res);
    return res;
  }

  async function request(method, path, opts = {}) {
    const res = await send(method, path, opts);
    if (res.status === 204) return null;
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  }

  return {
    request,
    get: (path, query) => request('GET', path, { query }),
    post: (path, body) => request('POST', path, { body: body ?? {} }),
    put: (path, body) => request('PUT', path, { body: body ?? {} }),
    patch: (path, body) => request('PATCH', path, { body: body ?? {} }),
    del: (path) => request('DELETE', path),
    refresh,
    /**
     * A file the API serves (a capture's pcapng, the rulesets' export): the token is in memory, not a cookie, so a
     * plain link cannot carry it; the caller makes an object URL of the blob. {blob, filename, type}
     */
    async download(path, { query, fallbackName = 'download' } = {}) {
      const res = await send('GET', path, { query, accept: '*/*' });
      const blob = await res.blob();
      const get = (h) => (res.headers && res.headers.get ? res.headers.get(h) : null);
      return { blob, filename: filenameFromDisposition(get('Content-Disposition'), fallbackName), type: get('Content-Type') || blob.type || '' };
    },
    async login(username, password) {
      const res = await raw('POST', '/api/v1/auth/login', { body: { username, password } });
      if (!res.ok) throw await errorFrom(res);
      setTokens(await res.json());
      emit('login');
    },
    async logout() {
      try {
        if (access || store.get()) await request('POST', '/api/v1/auth/logout', { body: {} });
      } catch {
        /* the session ends here whatever the server said */
      }
      clear();
      emit('logout');
    },
    /** Public routes (/api/v1/ready answers 503 with a body that still carries the facts). */
    async public(path) {
      const res = await raw('GET', path);
      let body = null;
      try {
        body = await res.json();
      } catch {
        /* empty */
      }
      return { status: res.status, body };
    },
    /** A valid access token for the stream handshake, refreshing first when there is none. */
    async accessToken() {
      if (!access && store.get()) await refresh();
      return access;
    },
    hasSession: () => !!(access || store.get()),
    onChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
