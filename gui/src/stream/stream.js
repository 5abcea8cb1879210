import { filterToQuery, filterMessage } from '../lib/filter.js';

/** Reconnect delays: 0.5 s doubling to 30 s, with jitter so many browsers do not reconnect in step. */
export function backoffDelay(attempt, random = Math.random) {
  const base = Math.min(30000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + random() * (base / 2));
}

export function streamUrl(loc, filter) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  const q = filterToQuery(filter);
  return `${scheme}//${loc.host}/api/v1/stream${q ? '?' + q : ''}`;
}

/**
 * The live stream client: one WebSocket (subprotocol dhcp-shield.v1, the token offered as bearer.<token>, never in
 * the URL), reconnecting with backoff, refreshing the token when the server closes with 4401. Messages go to
 * handlers by type: hello, event, skipped, action, alarm, filter, error.
 */
export function createStream({ client, handlers, WebSocketImpl = globalThis.WebSocket, loc = globalThis.location, setTimer = setTimeout, clearTimer = clearTimeout }) {
  let ws = null;
  let filter = {};
  let attempt = 0;
  let timer = null;
  let stopped = true;
  const state = (s, detail) => handlers.state && handlers.state(s, detail);

  async function connect() {
    if (stopped) return;
    state('connecting');
    let token;
    try {
      token = await client.accessToken();
    } catch {
      token = null;
    }
    if (stopped) return;
    if (!token) {
      state('unauthenticated');
      return;
    }
    const sock = new WebSocketImpl(streamUrl(loc, filter), ['dhcp-shield.v1', 'bearer.' + token]);
    ws = sock;
    sock.onopen = () => {
      attempt = 0;
      state('open');
    };
    sock.onmessage = (m) => {
      let msg;
      try {
        msg = JSON.parse(m.data);
      } catch {
        return;
      }
      const h = handlers[msg.type];
      if (h) h(msg);
    };
    sock.onclose = async (e) => {
      if (ws !== sock) return;
      ws = null;
      if (stopped) return;
      if (e.code === 4401) {
        // token expired or revoked: a refresh decides whether we may go on
        const ok = await client.refresh();
        if (!ok && !client.hasSession()) {
          state('unauthenticated');
          return;
        }
      }
      const delay = backoffDelay(attempt++);
      state('reconnecting', { code: e.code, reason: e.reason, delay });
      timer = setTimer(connect, delay);
    };
  }

  return {
    start(f = {}) {
      filter = f;
      if (!stopped) return;
      stopped = false;
      attempt = 0;
      connect();
    },
    stop() {
      stopped = true;
      if (timer) clearTimer(timer);
      timer = null;
      if (ws) {
        const s = ws;
        ws = null;
        s.close(1000, 'leaving');
      }
      state('closed');
    },
    /** Change the server-side filter on the open connection (and for the next reconnect). */
    setFilter(f) {
      filter = f;
      if (ws && ws.readyState === 1) ws.send(JSON.stringify(filterMessage(f)));
    },
  };
}
