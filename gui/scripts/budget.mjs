#!/usr/bin/env node
// The bundle budget: every JS and CSS file index.html loads for the app shell (scripts, module preloads,
// stylesheets), gzipped at level 9, must total at most BUDGET_KIB. Fails the build with the numbers when over.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KIB = Number(process.env.GUI_BUDGET_KIB || 150);
const out = resolve(process.argv[2] || process.env.GUI_OUT_DIR || 'dist');
const html = readFileSync(join(out, 'index.html'), 'utf8');

const refs = new Set();
for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) refs.add(m[1]);
for (const m of html.matchAll(/<link\b[^>]*>/g)) {
  const tag = m[0];
  const href = /\bhref="([^"]+)"/.exec(tag);
  if (href && /\brel="(stylesheet|modulepreload)"/.test(tag)) refs.add(href[1]);
}
if (/<script\b(?![^>]*\bsrc=)[^>]*>\s*\S/.test(html)) {
  console.error('budget: index.html has an inline <script>; the Content-Security-Policy (script-src \'self\') refuses it');
  process.exit(1);
}
if (refs.size === 0) {
  console.error(`budget: index.html in ${out} loads no script or stylesheet`);
  process.exit(1);
}

let raw = 0;
let gz = 0;
const rows = [];
for (const ref of refs) {
  if (/^(https?:)?\/\//.test(ref)) {
    console.error(`budget: ${ref} is not served by the appliance (no CDN under the CSP)`);
    process.exit(1);
  }
  const bytes = readFileSync(join(out, ref.replace(/^\//, '')));
  const g = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += g;
  rows.push(`  ${ref}  ${(bytes.length / 1024).toFixed(1)} KiB, ${(g / 1024).toFixed(1)} KiB gzip`);
}
const kib = gz / 1024;
console.log(`budget: app shell ${kib.toFixed(1)} KiB gzip -9 of ${BUDGET_KIB} KiB allowed (${(raw / 1024).toFixed(1)} KiB minified)`);
console.log(rows.join('\n'));
if (kib > BUDGET_KIB) {
  console.error(`budget: OVER by ${(kib - BUDGET_KIB).toFixed(1)} KiB gzip: ${kib.toFixed(1)} KiB > ${BUDGET_KIB} KiB`);
  process.exit(1);
}
