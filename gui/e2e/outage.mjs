#!/usr/bin/env node
// The GUI while ClickHouse is down, against a running appliance (GuiLabIT drives it): log in while the database is
// up, print "e2e-outage: logged in", wait for a line on stdin (the test stops ClickHouse, then writes it), then open
// the device page, the dashboard and the actions page and check each shows the API's 503 not_ready message naming
// ClickHouse in an alert (not a blank page or a stack trace), with screenshots, and that the header stops saying
// "ClickHouse connected" within 5 s of the first page's alert. Exit 0 when all do, 1 otherwise.
//   GUI_URL, GUI_USER, GUI_PASSWORD, SCREENSHOTS, [E2E_MAC] [CHROMIUM]
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const URL_ = (process.env.GUI_URL || 'http://10.254.0.2:8080').replace(/\/$/, '');
const SHOTS = resolve(process.env.SCREENSHOTS || 'screenshots');
const MAC = process.env.E2E_MAC || '02:00:5e:00:99:01';
mkdirSync(SHOTS, { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(URL_ + '/login');
  await page.getByLabel('User name').fill(process.env.GUI_USER || 'admin');
  await page.getByLabel('Password').fill(process.env.GUI_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header .who').waitFor({ timeout: 60000 });
  console.log('e2e-outage: logged in');
  await new Promise((r) => process.stdin.once('data', r));
  const headerDown = (timeout) => page.waitForFunction(() => {
    const h = document.querySelector('header');
    return h && /ClickHouse/.test(h.innerText) && !/ClickHouse\s*connected/.test(h.innerText);
  }, null, { timeout }).then(() => true, () => false);
  let first = true;
  for (const [name, path] of [['device', '/devices/' + MAC], ['dashboard', '/'], ['actions', '/actions']]) {
    // Client-side navigation, as an operator would click: the page stays, its data requests get the 503.
    await page.evaluate((p) => { history.pushState({}, '', p); dispatchEvent(new PopStateEvent('popstate')); }, path);
    const alert = page.locator('[role=alert]').filter({ hasText: /ClickHouse/ }).first();
    try {
      await alert.waitFor({ timeout: 30000 });
      console.log(`e2e-outage: ${name}: "${(await alert.innerText()).replace(/\s+/g, ' ').trim()}"`);
      if (first) {
        // The request that got the 503 made the daemon mark ClickHouse down and the GUI look at /ready again.
        const since = Date.now();
        if (await headerDown(5000)) {
          console.log(`e2e-outage: header followed the page's alert in ${Date.now() - since} ms`);
        } else {
          failed = true;
          console.log('e2e-outage: header: FAILED, still says ClickHouse connected 5 s after the page showed the outage');
        }
      }
    } catch {
      failed = true;
      console.log(`e2e-outage: ${name}: FAILED, no alert naming ClickHouse; page text: ${(await page.locator('main').innerText()).slice(0, 400)}`);
    }
    await page.screenshot({ path: join(SHOTS, `${name}-clickhouse-down.png`) });
    first = false;
  }
  // The header's health says why.
  const health = page.locator('header').getByText(/ClickHouse/).first();
  if (await headerDown(60000)) {
    console.log(`e2e-outage: header: "${(await page.locator('header').innerText()).replace(/\s+/g, ' ').trim().slice(0, 300)}"`);
  } else {
    failed = true;
    console.log(`e2e-outage: header: FAILED, still "${(await health.innerText().catch(() => '?'))}" after 60 s`);
  }
  await page.screenshot({ path: join(SHOTS, 'header-clickhouse-down.png') });
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
