import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, REFRESH_KEY, errorFromBody, filenameFromDisposition } from '../src/api/client.js';

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k) };
}

const json = (status, body) => ({
  ok: status >= 200 && status < 300,
  status,
  statusText: '',
  json: async () => body,
  text: async () => JSON.stringify(body),
});

/** A fake API: access tokens a<n>, refresh tokens r<n>; a spent refresh token revokes the family like the server. */
function fakeServer({ expired = new Set() } = {}) {
  const s = { n: 1, refreshCalls: 0, valid: new Set(['a1']), refresh: 'r1', revoked: false, log: [] };
  s.fetch = async (url, init) => {
    const auth = init.headers.Authorization;
    s.log.push(`${init.method} ${url} ${auth || ''}`);
    await new Promise((r) => setTimeout(r, 5));
    if (url.endsWith('/auth/refresh')) {
      s.refreshCalls++;
      const rt = JSON.parse(init.body).refresh_token;
      if (rt !== s.refresh || s.revoked) {
        s.revoked = true;
        return json(401, { error: { code: 'unauthorized', message: 'refresh token spent' } });
      }
      s.n++;
      s.refresh = 'r' + s.n;
      s.valid = new Set(['a' + s.n]);
      return json(200, { access_token: 'a' + s.n, refresh_token: 'r' + s.n, expires_in: 900 });
    }
    if (url.endsWith('/auth/login')) return json(200, { access_token: 'a1', refresh_token: 'r1' });
    const token = auth && auth.slice(7);
    if (!s.valid.has(token) || expired.has(token)) return json(401, { error: { code: 'unauthorized', message: 'expired' } });
    if (url.includes('/forbidden')) return json(403, { error: { code: 'forbidden', message: 'admin only' } });
    return json(200, { ok: true, token });
  };
  return s;
}

test('concurrent 401s share one refresh, keep the rotated refresh token and all retry', async () => {
  const srv = fakeServer();
  const storage = memoryStorage();
  const c = createClient({ fetch: srv.fetch, storage });
  await c.login('admin', 'pw');
  srv.valid = new Set(); // the access token expires
  const results = await Promise.all([c.get('/api/v1/x'), c.get('/api/v1/y'), c.get('/api/v1/z'), c.get('/api/v1/w')]);
  assert.equal(srv.refreshCalls, 1);
  assert.deepEqual(results.map((r) => r.token), ['a2', 'a2', 'a2', 'a2']);
  assert.equal(storage.getItem(REFRESH_KEY), 'r2');
  assert.equal(srv.revoked, false);
});

test('a request that got 401 after another already refreshed retries with the new token without refreshing again', async () => {
  const srv = fakeServer();
  const c = createClient({ fetch: srv.fetch, storage: memoryStorage() });
  await c.login('admin', 'pw');
  srv.valid = new Set();
  await c.get('/api/v1/first');
  assert.equal(srv.refreshCalls, 1);
  srv.valid = new Set(['a2']);
  const r = await c.get('/api/v1/second');
  assert.equal(r.token, 'a2');
  assert.equal(srv.refreshCalls, 1);
});

test('after a reload the session resumes from the stored refresh token', async () => {
  const srv = fakeServer();
  const storage = memoryStorage();
  storage.setItem(REFRESH_KEY, 'r1');
  const c = createClient({ fetch: srv.fetch, storage });
  const r = await c.get('/api/v1/me');
  assert.equal(r.token, 'a2');
  assert.equal(srv.refreshCalls, 1);
});

test('a failed refresh ends the session once and tells the listeners', async () => {
  const srv = fakeServer();
  const storage = memoryStorage();
  const c = createClient({ fetch: srv.fetch, storage });
  await c.login('admin', 'pw');
  const seen = [];
  c.onChange((k) => seen.push(k));
  srv.valid = new Set();
  srv.refresh = 'someone-else';
  const errs = await Promise.allSettled([c.get('/api/v1/a'), c.get('/api/v1/b')]);
  assert.ok(errs.every((e) => e.status === 'rejected' && e.reason.status === 401));
  assert.equal(srv.refreshCalls, 1);
  assert.equal(storage.getItem(REFRESH_KEY), null);
  assert.equal(c.hasSession(), false);
  assert.ok(seen.includes('expired'));
});

test('API errors carry status, code and message; 403 is not a session problem', async () => {
  const srv = fakeServer();
  const c = createClient({ fetch: srv.fetch, storage: memoryStorage() });
  await c.login('admin', 'pw');
  await assert.rejects(c.get('/api/v1/forbidden'), (e) => e.status === 403 && e.code === 'forbidden' && e.message === 'admin only');
  assert.equal(srv.refreshCalls, 0);
  assert.ok(c.hasSession());
});

test('an unreachable appliance is an error with status 0, not a crash', async () => {
  const c = createClient({ fetch: async () => { throw new TypeError('fetch failed'); }, storage: memoryStorage() });
  await assert.rejects(c.public('/api/v1/ready'), (e) => e.status === 0 && e.code === 'unreachable');
});

test('both error shapes give code, message and the per-field problems; a refusal keeps its whole body', () => {
  const nested = errorFromBody(400, { error: { code: 'invalid_request', message: 'bad relay', field: 'criteria.relay' } });
  assert.deepEqual([nested.status, nested.code, nested.message, nested.field, nested.fields], [400, 'invalid_request', 'bad relay', 'criteria.relay', null]);
  const flat = errorFromBody(409, { error: 'exists', message: 'never edit a profile in place' });
  assert.deepEqual([flat.code, flat.message], ['exists', 'never edit a profile in place']);
  const fields = errorFromBody(400, { error: 'invalid_request', message: 'structure', fields: { 'body.nftables[12]': 'only table inet dhcp_inspection' } });
  assert.deepEqual(fields.fields, { 'body.nftables[12]': 'only table inet dhcp_inspection' });
  const apply = { ok: false, apply: { id: 7, stage: 'dry-run' }, kernel_error: 'Error: No such file or directory' };
  const e = errorFromBody(422, apply, 'Unprocessable Entity');
  assert.equal(e.status, 422);
  assert.equal(e.message, '422 Unprocessable Entity');
  assert.equal(e.body.apply.stage, 'dry-run');
  assert.equal(errorFromBody(502, null, 'Bad Gateway').message, '502 Bad Gateway');
});

test('a download carries the token and names the file from Content-Disposition', async () => {
  let seen;
  const fetch = async (url, init) => {
    seen = { url, init };
    if (url.endsWith('/auth/login')) return { ok: true, status: 200, json: async () => ({ access_token: 'a1', refresh_token: 'r1' }) };
    return {
      ok: true, status: 200, statusText: '',
      headers: new Map([['Content-Disposition', 'attachment; filename="capture-42.pcapng"'], ['Content-Type', 'application/x-pcapng']]),
      blob: async () => new Blob([new Uint8Array([1, 2, 3])]),
    };
  };
  const c = createClient({ fetch, storage: memoryStorage() });
  await c.login('admin', 'pw');
  const d = await c.download('/api/v1/captures/42/download', { fallbackName: 'capture.pcapng' });
  assert.equal(seen.init.headers.Authorization, 'Bearer a1');
  assert.equal(seen.init.headers.Accept, '*/*');
  assert.equal(d.filename, 'capture-42.pcapng');
  assert.equal(d.type, 'application/x-pcapng');
  assert.equal(d.blob.size, 3);
});

test('file names from Content-Disposition: quoted, bare, RFC 5987, never a path; else the fallback', () => {
  assert.equal(filenameFromDisposition('attachment; filename="capture-7.pcapng"', 'x'), 'capture-7.pcapng');
  assert.equal(filenameFromDisposition('attachment; filename=rulesets.json', 'x'), 'rulesets.json');
  assert.equal(filenameFromDisposition("attachment; filename=\"a.json\"; filename*=UTF-8''r%C3%A9gles.json", 'x'), 'régles.json');
  assert.equal(filenameFromDisposition('attachment; filename="../../etc/passwd"', 'x'), 'passwd');
  assert.equal(filenameFromDisposition('attachment', 'fallback.bin'), 'fallback.bin');
  assert.equal(filenameFromDisposition(null, 'fallback.bin'), 'fallback.bin');
});

test('a 503 or no answer tells the listeners the appliance is unavailable; /ready itself does not', async () => {
  let status = 503;
  const c = createClient({
    fetch: async (url) => {
      if (status === 0) throw new TypeError('fetch failed');
      return json(url.includes('/ready') ? 503 : status, { error: { code: 'not_ready', message: 'ClickHouse unreachable' } });
    },
    storage: memoryStorage(),
  });
  const seen = [];
  c.onChange((k) => seen.push(k));
  assert.equal((await c.public('/api/v1/status')).status, 503);
  assert.deepEqual(seen, ['unavailable']);
  await c.public('/api/v1/ready');
  assert.deepEqual(seen, ['unavailable'], 'the readiness poll itself does not trigger another poll');
  status = 0;
  await assert.rejects(c.public('/api/v1/counters'), (e) => e.status === 0);
  assert.deepEqual(seen, ['unavailable', 'unavailable']);
  status = 404;
  await c.public('/api/v1/nothing');
  assert.equal(seen.length, 2, 'other errors are not an outage');
});
