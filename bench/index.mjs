// `npm run bench`: sizes (oauth-connect and its peers, side by side), what a browser fetches from a
// partner page (page load, one HCSS popup flow, a redirect-mode and a landing page), completion
// latency against a bare hand-written opener/callback pair in Chromium, and what 1,000 flows leave
// behind; each budget printed PASS / FAIL (exit code 1 when one fails). `--sizes`: no latency or
// leaks. A script, not a test: run it on a quiet machine.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { measureLatency } from './latency.mjs';
import { measurePartner } from './partner.mjs';
import { measure } from './size.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const peers = path.join(root, 'bench', 'peers');
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });

// measure the package as built from src/ as it is now: a dist/ older than a source is rebuilt
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .reduce((t, e) => Math.max(t, statSync(path.join(e.parentPath ?? e.path, e.name)).mtimeMs), 0);
const built = path.join(root, 'dist', 'index.js');
if (!existsSync(built) || statSync(built).mtimeMs < newest(path.join(root, 'src'))) {
  console.log('dist/ is missing or older than src/: npm run build');
  run('npm', ['run', 'build']);
}
if (!existsSync(path.join(peers, 'node_modules'))) {
  // the peers live in a folder of their own, never among the package's dependencies
  run('npm', ['ci', '--no-audit', '--no-fund', '--silent'], peers);
}
const peer = (name) => path.join(peers, 'node_modules', name);

const AUTHORITY = 'https://id.example.com';
const subjects = [
  ["oauth-connect: import 'oauth-connect'", "import 'oauth-connect';", { 'oauth-connect': root }],
  [
    'oauth-connect: callback entry',
    "import { completeCallback } from 'oauth-connect/callback'; completeCallback();",
    { 'oauth-connect': root },
  ],
  [
    'oidc-client-ts: UserManager.signinPopup',
    `import { UserManager } from 'oidc-client-ts';
     const m = new UserManager({ authority: '${AUTHORITY}', client_id: 'c', redirect_uri: location.href });
     document.querySelector('button').onclick = () => m.signinPopup();`,
    { 'oidc-client-ts': peer('oidc-client-ts') },
  ],
  [
    'oidc-client-ts: signinPopupCallback',
    `import { UserManager } from 'oidc-client-ts';
     new UserManager({ authority: '${AUTHORITY}', client_id: 'c', redirect_uri: location.href }).signinPopupCallback();`,
    { 'oidc-client-ts': peer('oidc-client-ts') },
  ],
  [
    'auth0-spa-js: loginWithPopup',
    `import { createAuth0Client } from '@auth0/auth0-spa-js';
     const c = createAuth0Client({ domain: 'id.example.com', clientId: 'c' });
     document.querySelector('button').onclick = async () => (await c).loginWithPopup();`,
    { '@auth0/auth0-spa-js': peer('@auth0/auth0-spa-js') },
  ],
  [
    'MSAL: loginPopup',
    `import { PublicClientApplication } from '@azure/msal-browser';
     const p = new PublicClientApplication({ auth: { clientId: 'c' } });
     document.querySelector('button').onclick = async () => { await p.initialize(); await p.loginPopup(); };`,
    { '@azure/msal-browser': peer('@azure/msal-browser') },
  ],
];

// The chosen stack's own floor, built the same way: the least a Lit element with a button costs,
// and that plus one zod/mini schema checked (what every trust boundary needs at the least).
const stack = {
  lit: path.join(root, 'node_modules', 'lit'),
  zod: path.join(root, 'node_modules', 'zod'),
};
const LIT_FLOOR = `import { LitElement, css, html } from 'lit';
  customElements.define('x-connect', class extends LitElement {
    static styles = css\`button{font:inherit}\`;
    static properties = { label: {} };
    render() { return html\`<button @click=\${() => this.dispatchEvent(new Event('go'))}>\${this.label}</button>\`; }
  });`;
subjects.push(
  ['stack floor: a Lit element with a button', LIT_FLOOR, stack],
  [
    'stack floor: that + one zod/mini schema',
    `${LIT_FLOOR}
     import * as z from 'zod/mini';
     const answer = z.object({ code: z.string() });
     addEventListener('message', (e) => console.log(answer.safeParse(e.data).success));`,
    stack,
  ],
);

/**
 * The budgets (KB, gzip -9) of what a browser fetches from a partner page (bench/partner.mjs):
 * the page load (nothing touched yet), that plus one HCSS popup flow, the callback page.
 */
const BUDGET = { pageLoad: 12, popupFlow: 22, callback: 1.5 };

const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
console.log('\nSizes: esbuild, ESM, minified, code splitting; gzip -9 per chunk, summed\n');
console.log(
  `${'bundle'.padEnd(42)} ${'first load: min'.padStart(15)} ${'gzip'.padStart(9)}   ${'all chunks: min'.padStart(15)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)}`,
);
const sizes = {};
for (const [name, contents, modules] of subjects) {
  const r = await measure(name, contents, modules);
  sizes[name] = r;
  console.log(
    `${name.padEnd(42)} ${kb(r.first.minified).padStart(15)} ${kb(r.first.gzip).padStart(9)}   ${kb(r.all.minified).padStart(15)} ${kb(r.all.gzip).padStart(9)} ${kb(r.all.brotli).padStart(9)}`,
  );
}

{
  // the classic-script build of the callback helper, pasted inline into the redirect_uri page
  const inline = readFileSync(path.join(root, 'dist', 'callback.inline.js'));
  const gz = gzipSync(inline, { level: 9 }).length;
  console.log(
    `${'oauth-connect: dist/callback.inline.js'.padEnd(42)} ${kb(inline.length).padStart(15)} ${kb(gz).padStart(9)}   (inline classic script, no request)`,
  );
}

console.log(
  '\nWhat a browser fetches: a partner page built by esbuild (ESM, minified, code splitting),\n' +
    'headless Chromium; the JS files the page fetched, each once, gzip -9 (as served)\n',
);
const partner = await measurePartner(root);
const files = (f) => `${f.files.length} file${f.files.length === 1 ? '' : 's'}`;
const fetchedRow = (name, f) =>
  console.log(
    `${name.padEnd(52)} ${files(f).padStart(8)} ${kb(f.gzip).padStart(10)} gzip ${kb(f.minified).padStart(10)} min ${kb(f.served).padStart(10)} served`,
  );
fetchedRow('popup page: page load (nothing touched yet)', partner.popup.load);
fetchedRow('popup page: page load + one HCSS popup flow', partner.popup.flow);
fetchedRow("the popup's callback page (oauth-connect/callback)", partner.callback);
fetchedRow('redirect-mode page: page load', partner.redirect);
fetchedRow('landing page (?code=, exchanged): page load', partner.landing);

{
  // what each fetched file is: the dist files it was bundled from, and its share per source module
  // (minified bytes, from the chained source maps)
  console.log(
    '\nFetched by the popup page (page load, then the flow): its inputs (esbuild metafile), then\nits source modules, KB minified (from the chained source maps)\n',
  );
  const atLoad = new Set(partner.popup.load.files.map((f) => f.path));
  for (const f of partner.popup.flow.files) {
    const dist = f.dist.filter((d) => d !== 'entry.js' && d !== 'callback.js').join(', ');
    console.log(
      `${f.path}  ${kb(f.gzip.length)} gzip, ${kb(f.code.length)} min  [${atLoad.has(f.path) ? 'page load' : 'the flow'}]  from ${dist || '-'}`,
    );
    let line = ' ';
    for (const [module, bytes] of f.modules) {
      const item = ` ${module} ${(bytes / 1024).toFixed(2)}`;
      if (line.length + item.length > 100) {
        console.log(line);
        line = ' ';
      }
      line += item;
    }
    console.log(line);
  }
}

{
  // the same run's peers (all chunks: their popup flow's code) and the chosen stack's floor
  const all = (name) => (sizes[name].all.gzip / 1024).toFixed(2);
  console.log(
    `\nBeside the peers (all chunks, gzip, same run): oidc-client-ts signinPopup ${all('oidc-client-ts: UserManager.signinPopup')} KB, ` +
      `auth0-spa-js loginWithPopup ${all('auth0-spa-js: loginWithPopup')} KB, MSAL loginPopup ${all('MSAL: loginPopup')} KB; ` +
      `stack floor (Lit element + one zod/mini schema) ${all('stack floor: that + one zod/mini schema')} KB`,
  );
  // What the budgets leave for the library's own code, beside what it takes now (same run).
  const litFloor = sizes['stack floor: a Lit element with a button'].first.gzip / 1024;
  const fullFloor = sizes['stack floor: that + one zod/mini schema'].all.gzip / 1024;
  console.log(
    `The library's own code (gzip, above the stack floor): page load ${(partner.popup.load.gzip / 1024 - litFloor).toFixed(2)} KB ` +
      `(the ${BUDGET.pageLoad} KB budget leaves ${(BUDGET.pageLoad - litFloor).toFixed(2)}), page load + popup flow ${(partner.popup.flow.gzip / 1024 - fullFloor).toFixed(2)} KB ` +
      `(the ${BUDGET.popupFlow} KB budget leaves ${(BUDGET.popupFlow - fullFloor).toFixed(2)})`,
  );
}

const budgets = [];
const budget = (what, value, limit, unit) =>
  budgets.push({ what, value, limit, unit, pass: value <= limit });
budget(
  'page load (nothing touched yet), gzip',
  partner.popup.load.gzip / 1024,
  BUDGET.pageLoad,
  'KB',
);
budget(
  'page load + one HCSS popup flow, gzip',
  partner.popup.flow.gzip / 1024,
  BUDGET.popupFlow,
  'KB',
);
{
  const { offending, missing, unattributed } = partner.check;
  const details = [
    ...offending.map(
      (o) => `${o.module} (${o.what}): ${(o.bytes / 1024).toFixed(2)} KB min in ${o.file}`,
    ),
    ...unattributed.map((f) => `${f}: no source map to attribute it by (dist/*.js.map)`),
    ...missing.map((m) => `note: ${m} is listed in bench/partner.mjs but no longer exists`),
  ];
  budgets.push({
    what: 'popup flow fetches no redirect/landing/server/health code',
    pass: offending.length === 0 && unattributed.length === 0,
    details,
  });
}
budget("callback page (the popup's), gzip", partner.callback.gzip / 1024, BUDGET.callback, 'KB');
{
  const stack = /^(lit|lit-html|lit-element|@lit\/.*|zod)$/;
  const found = partner.callback.files
    .flatMap((f) => [...f.modules.keys()])
    .filter((m) => stack.test(m));
  budgets.push({ what: 'callback without Lit / zod', pass: found.length === 0, details: found });
}
if (!process.argv.includes('--sizes')) {
  console.log('\nCompletion latency in Chromium (ms, from the call to the exchange answer)\n');
  const POLL = 100;
  const { stats, runs, leaks, flows } = await measureLatency(root);
  const row = (name, s) =>
    console.log(
      `${name.padEnd(42)} p50 ${s.p50.toFixed(1).padStart(7)}   p95 ${s.p95.toFixed(1).padStart(7)}`,
    );
  for (const [kind, s] of Object.entries(stats)) row(kind, s);
  console.log(`(${runs} runs each, interleaved; polling every ${POLL} ms)`);
  const floor = stats['bare:message'].p50;
  const pollFloor = stats['bare:polling'].p50;
  budget('postMessage completion p50 − floor', stats['ours:message'].p50 - floor, 5, 'ms');
  budget('polling completion p50 − floor', stats['ours:polling'].p50 - pollFloor, POLL / 2, 'ms');
  console.log(`\nLeft after ${flows} flows: ${JSON.stringify(leaks)}`);
  // each kind on its own: one cleared that was set before the count started (a negative) does not
  // make up for one left
  const left =
    Object.keys(leaks.listeners).length +
    Math.max(0, leaks.timers) +
    Math.max(0, leaks.intervals) +
    Math.max(0, leaks.channels);
  budget(`listeners, timers, channels left after ${flows} flows`, left, 0, '');
}

report();

function report() {
  console.log('\nBudgets\n');
  for (const b of budgets) {
    const figure = b.value === undefined ? '' : `${b.value.toFixed(2)} ${b.unit} (≤ ${b.limit})`;
    console.log(`${b.pass ? 'PASS' : 'FAIL'}  ${b.what.padEnd(58)} ${figure}`);
    for (const d of b.details ?? []) console.log(`        ${d}`);
  }
  process.exitCode = budgets.every((b) => b.pass) ? 0 : 1;
}
