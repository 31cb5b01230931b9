// `npm run bench`: sizes (oauth-connect and its peers, side by side), completion latency against a
// bare hand-written opener/callback pair in Chromium, and what 1,000 flows leave behind; each
// budget printed PASS / FAIL. A script, not a test: run it on a quiet machine.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { measureLatency } from './latency.mjs';
import { measure } from './size.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const peers = path.join(root, 'bench', 'peers');
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });

if (!existsSync(path.join(root, 'dist', 'index.js'))) run('npm', ['run', 'build']);
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

/** The size budgets (KB, gzip) of issue 7. */
const BUDGET = { first: 10, all: 17 };

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

{
  // What the budgets leave for the library's own code, beside what it takes now (same run).
  const own = (r) => r.gzip / 1024;
  const main = sizes["oauth-connect: import 'oauth-connect'"];
  const litFloor = sizes['stack floor: a Lit element with a button'];
  const fullFloor = sizes['stack floor: that + one zod/mini schema'];
  console.log(
    `\nThe library's own code (gzip, above the stack floor): first load ${(own(main.first) - own(litFloor.first)).toFixed(2)} KB ` +
      `(the ${BUDGET.first} KB budget leaves ${(BUDGET.first - own(litFloor.first)).toFixed(2)}), all chunks ${(own(main.all) - own(fullFloor.all)).toFixed(2)} KB ` +
      `(the ${BUDGET.all} KB budget leaves ${(BUDGET.all - own(fullFloor.all)).toFixed(2)})`,
  );
}

const budgets = [];
const budget = (what, value, limit, unit) =>
  budgets.push({ what, value, limit, unit, pass: value <= limit });
const main = sizes["oauth-connect: import 'oauth-connect'"];
const callback = sizes['oauth-connect: callback entry'];
budget('first load, gzip', main.first.gzip / 1024, BUDGET.first, 'KB');
budget('all chunks, gzip', main.all.gzip / 1024, BUDGET.all, 'KB');
budget('callback entry, gzip', callback.all.gzip / 1024, 1.5, 'KB');
if (callback.lit || callback.zod) budgets.push({ what: 'callback without Lit / zod', pass: false });

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
  const left =
    Object.keys(leaks.listeners).length + leaks.timers + leaks.intervals + leaks.channels;
  budget(`listeners, timers, channels left after ${flows} flows`, left, 0, '');
}

report();

function report() {
  console.log('\nBudgets\n');
  for (const b of budgets) {
    const figure = b.value === undefined ? '' : `${b.value.toFixed(2)} ${b.unit} (≤ ${b.limit})`;
    console.log(`${b.pass ? 'PASS' : 'FAIL'}  ${b.what.padEnd(44)} ${figure}`);
  }
  process.exitCode = budgets.every((b) => b.pass) ? 0 : 1;
}
