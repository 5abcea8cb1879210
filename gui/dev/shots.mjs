#!/usr/bin/env node
// DEV ONLY: screenshots of the operator-tool pages against dev/fixtures.mjs (not a test; the e2e run against a real
// appliance is e2e/e2e.mjs with E2E_TOOLS=1). Also runs axe on each page and prints what it finds.
//   node dev/fixtures.mjs & node dev/shots.mjs      # PNGs into /tmp/gui15-shots (SHOTS to change)
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const URL_ = process.env.GUI_URL || 'http://127.0.0.1:5180';
const OUT = process.env.SHOTS || '/tmp/gui15-shots';
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
mkdirSync(OUT, { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'], headless: true });
const errors = [];

async function session(user, width = 1280) {
  const ctx = await browser.newContext({ viewport: { width, height: 800 }, acceptDownloads: true });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`${user}: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && !/WebSocket|stream/.test(m.text()) && errors.push(`${user}: ${m.text()}`));
  await page.goto(URL_ + '/');
  await page.waitForURL(/\/login/);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill('x');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header .who').waitFor();
  return page;
}
const shot = (page, name, full = true) => page.screenshot({ path: join(OUT, name), fullPage: full });
async function axe(page, name) {
  await page.evaluate(AXE);
  const v = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((x) => `${x.impact} ${x.id}: ${x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`));
  console.log(`axe ${name}: ${v.length ? '\n  ' + v.join('\n  ') : 'clean'}`);
}

const page = await session('admin');
await page.goto(URL_ + '/firewall');
await page.locator('table.rulesets tbody tr').first().waitFor();
await page.locator('table.applies tbody tr').first().waitFor();
await shot(page, 'firewall.png');
await axe(page, 'firewall');
await page.getByRole('button', { name: 'Move site-extra up' }).click();
await page.getByLabel('Add', { exact: true }).selectOption('kernel-snapshot');
await page.getByRole('button', { name: 'Add', exact: true }).click();
await page.getByRole('radio', { name: /Merge/ }).check();
await page.getByRole('button', { name: 'Apply…' }).click();
await page.locator('section:has(#active-h)').screenshot({ path: join(OUT, 'firewall-apply-confirm.png') });
await page.getByRole('button', { name: 'Apply (merge)' }).click();
await page.locator('section:has(#active-h) .state.error').waitFor();
await page.locator('section:has(#active-h)').screenshot({ path: join(OUT, 'firewall-apply-refused.png') });
await page.locator('table.applies').getByRole('button', { name: 'Roll back to this' }).first().click();
await page.locator('section:has(#applies-h)').screenshot({ path: join(OUT, 'firewall-rollback-confirm.png') });

await page.goto(URL_ + '/firewall/rulesets/medium');
await page.locator('textarea#rs-text').waitFor();
await shot(page, 'ruleset.png', false);
await axe(page, 'ruleset');
// a deliberately bad rule: a chain that does not exist, at object 40
const text = await page.locator('textarea#rs-text').inputValue();
const lines = text.split('\n');
lines.splice(41, 0, '  {"rule": {"family": "inet", "table": "dhcp_inspection", "chain": "no_such_chain", "expr": [{"counter": "v4_discover_total"}, {"drop": null}]}},');
await page.locator('textarea#rs-text').fill(lines.join('\n'));
await page.getByRole('button', { name: 'Validate', exact: true }).click();
await page.locator('#editor-problems').waitFor();
await shot(page, 'ruleset-validate.png', false);
await page.locator('section.editor-panel').screenshot({ path: join(OUT, 'ruleset-validate-panel.png') });
await axe(page, 'ruleset after validate');
await page.getByRole('button', { name: 'Save', exact: true }).click();
await page.locator('.exists').waitFor();
await page.locator('.save-form').screenshot({ path: join(OUT, 'ruleset-exists.png') });
await page.getByRole('button', { name: 'Compare with the kernel' }).click();
await page.locator('table.diff').waitFor();
await page.locator('section:has(#diff-h)').screenshot({ path: join(OUT, 'ruleset-diff.png') });
await axe(page, 'ruleset diff');

await page.goto(URL_ + '/firewall/flow');
await page.locator('ol.ladder').waitFor();
await shot(page, 'flow.png');
await axe(page, 'flow');
await page.waitForTimeout(5600);
await shot(page, 'flow-live.png', false);
await page.getByLabel('Message type', { exact: true }).selectOption('OFFER');
await page.locator('h2#ladder-h', { hasText: 'OFFER outbound' }).waitFor();
await page.locator('ol.ladder').waitFor();
await shot(page, 'flow-offer.png', false);

await page.goto(URL_ + '/bulk');
await page.locator('table.jobs').waitFor();
await shot(page, 'bulk.png');
await axe(page, 'bulk criteria');
await page.getByLabel('Relay (IP)').fill('10.0.7.300');
await page.getByRole('button', { name: 'Preview the clients →' }).click();
await page.locator('section.wizard').screenshot({ path: join(OUT, 'bulk-bad-relay.png') });
await page.getByLabel('Relay (IP)').fill('10.0.7.1');
await page.getByLabel('Message type', { exact: true }).selectOption('DISCOVER');
await page.getByRole('button', { name: 'Preview the clients →' }).click();
await page.locator('table.sample').waitFor();
await shot(page, 'bulk-preview.png');
await axe(page, 'bulk preview');
await page.getByRole('button', { name: 'Choose the action →' }).click();
await page.getByRole('radio', { name: /^deny/ }).check();
await page.locator('section.wizard').screenshot({ path: join(OUT, 'bulk-action-deny.png') });
await page.getByRole('radio', { name: /^block/ }).check();
await page.getByLabel('Reason').fill('relay 7 DISCOVER storm');
await page.getByRole('button', { name: 'Run…' }).click();
await page.locator('section.wizard').screenshot({ path: join(OUT, 'bulk-action-confirm.png') });
await axe(page, 'bulk action');
await page.getByRole('button', { name: 'Run the job' }).click();
await page.locator('section.wizard .state.ok').waitFor();
await shot(page, 'bulk-submitted.png');
await page.locator('table.jobs a', { hasText: 'history' }).first().click();
await page.waitForURL(/\/actions\?actor=/);
await page.locator('section.panel:has(h2:text("History")) tbody tr').first().waitFor();
await shot(page, 'actions-bulk-job.png', false);

await page.goto(URL_ + '/captures');
await page.locator('table.captures').waitFor();
await page.getByLabel('MAC').fill('00-0C-01-02-03-04');
await page.getByLabel('Size (MiB)').fill('500');
await page.getByRole('button', { name: 'Start capture' }).click();
await page.locator('#cp-max_mib-p').waitFor();
await page.locator('form[aria-label="Start a capture"]').screenshot({ path: join(OUT, 'captures-refused.png') });
await page.getByLabel('Size (MiB)').fill('10');
await page.getByLabel('Label').fill('printer lease');
await page.getByRole('button', { name: 'Start capture' }).click();
await page.locator('.state.ok', { hasText: 'started' }).waitFor();
await page.waitForTimeout(2500);
await shot(page, 'captures.png');
await axe(page, 'captures');

// the header and a tools page at 1024 px
await page.setViewportSize({ width: 1024, height: 768 });
await page.goto(URL_ + '/firewall');
await page.locator('table.rulesets tbody tr').first().waitFor();
await shot(page, 'firewall-1024.png', false);
console.log('firewall 1024 overflow px:', await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth));
await page.goto(URL_ + '/firewall/rulesets/medium');
await page.locator('textarea#rs-text').waitFor();
await shot(page, 'ruleset-1024.png', false);
console.log('ruleset 1024 overflow px:', await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth));
for (const p of ['/firewall/flow', '/bulk', '/captures']) {
  await page.goto(URL_ + p);
  await page.waitForTimeout(800);
  console.log(`${p} 1024 overflow px:`, await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth));
}
await shot(page, 'captures-1024.png', false);

const viewer = await session('viewer');
await viewer.goto(URL_ + '/firewall');
await viewer.locator('table.rulesets tbody tr').first().waitFor();
await shot(viewer, 'firewall-viewer.png');
await viewer.goto(URL_ + '/firewall/rulesets/medium');
await viewer.locator('textarea#rs-text').waitFor();
await shot(viewer, 'ruleset-viewer.png', false);
await viewer.goto(URL_ + '/bulk');
await viewer.locator('table.jobs').waitFor();
await shot(viewer, 'bulk-viewer.png', false);
await viewer.goto(URL_ + '/captures');
await viewer.locator('table.captures').waitFor();
await shot(viewer, 'captures-viewer.png', false);

await browser.close();
console.log(errors.length ? 'page errors:\n  ' + errors.join('\n  ') : 'no page errors');
console.log('screenshots in ' + OUT);
