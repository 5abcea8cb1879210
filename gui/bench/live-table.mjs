#!/usr/bin/env node
// Browser benchmark of the live table (a script, not a timed test): the stream replaced by a generator in the page
// at RATE events/s for SECS seconds, the rest real (login and API through GUI_URL). Reports long tasks over 50 ms,
// frames drawn vs expected at 60 Hz, the JS heap after a forced GC at start and end, and the rows in the DOM.
//   GUI_URL, GUI_USER, GUI_PASSWORD, [RATE=2000] [SECS=60] [CHROMIUM=/usr/bin/chromium]
import { chromium } from 'playwright-core';

const URL_ = (process.env.GUI_URL || 'http://10.254.0.2:8080').replace(/\/$/, '');
const RATE = Number(process.env.RATE || 2000);
const SECS = Number(process.env.SECS || 60);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });

// the fake stream: same messages as the server (hello, event), events shaped like docs/events.md
await page.addInitScript(({ rate }) => {
  const Real = window.WebSocket;
  window.__bench = { sent: 0, rate };
  window.WebSocket = class FakeStream {
    constructor(url, protocols) {
      if (!String(url).includes('/api/v1/stream')) return new Real(url, protocols);
      this.readyState = 0;
      setTimeout(() => {
        this.readyState = 1;
        this.onopen && this.onopen({});
        this.onmessage && this.onmessage({ data: JSON.stringify({ type: 'hello', schema: 1, rate: { per_second: rate, burst: rate } }) });
        let n = 0;
        const t0 = performance.now();
        this.timer = setInterval(() => {
          if (!window.__bench.running) return;
          const due = Math.floor(((performance.now() - window.__bench.startedAt) / 1000) * rate);
          while (window.__bench.sent < due) {
            n++;
            window.__bench.sent++;
            const mac = '00:0c:01:' + ((n >> 16) & 255).toString(16).padStart(2, '0') + ':' + ((n >> 8) & 255).toString(16).padStart(2, '0') + ':' + (n & 255).toString(16).padStart(2, '0');
            const us = Math.round((performance.timeOrigin + performance.now()) * 1000);
            const ev = { v: 1, time_us: us, site: 'bench', queue: 1, direction: n % 2 ? 'client_to_server' : 'server_to_client', family: 4, msg_type: ['DISCOVER', 'OFFER', 'REQUEST', 'ACK'][n % 4], msg_type_code: [1, 2, 3, 5][n % 4], xid: '0x' + n.toString(16).padStart(8, '0'), client_mark: '0x' + (n & 0xffffff).toString(16).padStart(6, '0'), client_mac: mac, client_id: '01:' + mac, relay_ip: '198.18.0.2', circuit_id: 'ge0001', assigned_ip: '198.18.1.' + (n % 250) };
            // a real frame is text the client parses, so parse cost is included
            this.onmessage && this.onmessage({ data: JSON.stringify({ type: 'event', event: ev }) });
          }
        }, 10);
        void t0;
      }, 50);
    }
    send() {}
    close() {
      clearInterval(this.timer);
      this.readyState = 3;
    }
  };
}, { rate: RATE });

await page.goto(URL_ + '/login');
await page.getByLabel('User name').fill(process.env.GUI_USER || 'admin');
await page.getByLabel('Password').fill(process.env.GUI_PASSWORD);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.locator('header .who').waitFor();
await page.getByRole('link', { name: 'Live events' }).click();
await page.locator('.conn-open').waitFor();

const heap = async () => {
  await page.evaluate(() => window.gc && window.gc());
  return page.evaluate(() => performance.memory.usedJSHeapSize);
};
const heapStart = await heap();
await page.evaluate(() => {
  const b = window.__bench;
  b.longTasks = [];
  b.frames = 0;
  new PerformanceObserver((l) => l.getEntries().forEach((e) => b.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false });
  const tick = () => {
    b.frames++;
    if (b.running) requestAnimationFrame(tick);
  };
  b.running = true;
  b.startedAt = performance.now();
  requestAnimationFrame(tick);
});
let cdp = null;
if (process.env.PROFILE) {
  cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
}
const samples = [];
for (let s = 10; s <= SECS; s += 10) {
  await page.waitForTimeout(10000); // a benchmark, not a test: it runs for a fixed time by design
  samples.push(`${s} s: heap ${(await page.evaluate(() => performance.memory.usedJSHeapSize / 1048576)).toFixed(1)} MiB`);
}
const r = await page.evaluate(() => {
  const b = window.__bench;
  b.running = false;
  const secs = (performance.now() - b.startedAt) / 1000;
  return { secs, sent: b.sent, frames: b.frames, longTasks: b.longTasks, rows: document.querySelectorAll('table.live tbody tr:not(.spacer)').length, kept: document.querySelector('.live-page .muted')?.textContent };
});
if (cdp) {
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map();
  const dt = profile.timeDeltas;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(k, (self.get(k) || 0) + (dt[i] || 0));
  });
  console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `  ${(v / 1000).toFixed(0)} ms ${k}`).join('\n'));
}
const heapEnd = await heap();
await browser.close();

const expected = Math.round(r.secs * 60);
const lt = r.longTasks.sort((a, b) => b - a);
console.log(`live table: ${r.sent} events in ${r.secs.toFixed(1)} s (${(r.sent / r.secs).toFixed(0)}/s)`);
console.log(`  long tasks > 50 ms: ${lt.length}${lt.length ? `, longest ${lt[0].toFixed(0)} ms, over 200 ms: ${lt.filter((d) => d > 200).length}` : ''}`);
console.log(`  frames: ${r.frames} of ${expected} at 60 Hz (${Math.max(0, expected - r.frames)} dropped, ${((100 * r.frames) / expected).toFixed(0)} %)`);
console.log(`  JS heap after GC: start ${(heapStart / 1048576).toFixed(1)} MiB, end ${(heapEnd / 1048576).toFixed(1)} MiB`);
console.log(`  ${samples.join(' · ')}`);
console.log(`  rows in the DOM: ${r.rows}; ${r.kept}`);
