// Clicks through the demo as a new user would, in headless Chromium, and saves the README's
// screenshots in docs/screenshots/. Every provider must end `connected` through its mock on its
// own origin, in every mode it offers; every popup must close again; and no response from the
// demo's origin may carry a token or a code the mocks issued, nor the page show one.
//
//   node demo/screenshots.mjs            (CHROME_PATH to use another Chromium; SHOTS=0: no PNGs)
//
// It also checks the demo's own rough edges (issue 17.6): the top bar in one row at 390 and
// 1280 px, the Spanish switch, a denied Reconnect, Clear, and Disconnect on each page; the shots
// of those checks go to CHECK_SHOTS (default: <tmpdir>/oauth-connect-demo-checks), not docs/.
//
// It starts the demo itself (Vite with demo/vite.config.ts, mocks included) in this process, on
// the usual ports or, when they are taken (an `npm start` running), on free ones.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { createServer } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'docs/screenshots');
const checks = process.env.CHECK_SHOTS ?? path.join(os.tmpdir(), 'oauth-connect-demo-checks');
const shoot = process.env.SHOTS !== '0';
const WIDTH = 1000;

const vite = await createServer({
  configFile: path.join(root, 'demo/vite.config.ts'),
  logLevel: 'warn',
  server: { port: 5173 },
});
await vite.listen();
const origin = `http://localhost:${vite.httpServer.address().port}`;
const mocks = globalThis[Symbol.for('oauth-connect.demo.mocks')];
await mkdir(out, { recursive: true });
await mkdir(checks, { recursive: true });

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', `--window-size=${WIDTH},900`],
  defaultViewport: { width: WIDTH, height: 900 },
});

/** Everything the demo's origin sent to the browser (documents, scripts' fetches). */
const seen = [];
const watch = (page) =>
  page.on('response', async (response) => {
    if (!response.url().startsWith(origin) || response.status() >= 300) return;
    try {
      seen.push({ url: response.url(), text: await response.text() });
    } catch {
      // a body that is gone (a redirect, a closed popup)
    }
  });

const step = (text) => console.log(`• ${text}`);
/** A page (or one element of it) as a PNG. */
const png = async (target, name) => {
  if (!shoot) return;
  await target.screenshot({ path: path.join(out, name) });
  console.log(`  saved docs/screenshots/${name}`);
};
const cardShot = async (page, provider, name) =>
  png(await page.$(`.provider[data-provider="${provider}"]`), name);
/** A check's PNG (not the README's): in `checks`. */
const checkShot = async (target, name) => {
  if (!shoot) return;
  await target.screenshot({ path: path.join(checks, name) });
  console.log(`  saved ${path.join(checks, name)}`);
};

const [page] = await browser.pages();
watch(page);
page.on('console', (message) => {
  if (/Lit is in dev mode/.test(message.text())) return;
  if (message.type() === 'error' || message.type() === 'warn')
    console.log(`  [page] ${message.text()}`);
});
browser.on('targetcreated', async (target) => {
  const p = await target.page().catch(() => null);
  if (p) watch(p);
});

/** Clicks what starts the element's flow: its button, or Reconnect once it shows "Connected". */
async function clickStart(provider) {
  const control = await page.waitForFunction(
    (id) => {
      const root = document.getElementById(id).shadowRoot;
      return root.querySelector('[part="button"]') ?? root.querySelector('[part="reconnect"]');
    },
    {},
    provider,
  );
  await control.click();
}
/** The element's own status line (status-url), once it has one. */
const healthText = (provider, pattern) =>
  page.waitForFunction(
    (id, source) =>
      new RegExp(source).test(
        document.getElementById(id)?.shadowRoot.querySelector('#health')?.textContent ?? '',
      ),
    { timeout: 15000 },
    provider,
    pattern.source,
  );
/** Signs in on the partner's own sign-in page (the current page). */
async function kestrelSignIn(target = page) {
  await target.waitForSelector('#email');
  await target.type('#email', 'pat@kestrel.example');
  await target.type('#password', 'demo');
  await Promise.all([target.waitForNavigation(), target.click('button[type="submit"]')]);
}
const signOut = () =>
  page.evaluate(() =>
    fetch('/api/demo/signout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }),
  );

/** Clicks the element's button and returns the popup it opened, once it shows `urlPart`. */
async function openPopup(provider, urlPart) {
  const target = browser.waitForTarget((t) => t.url().includes(urlPart), { timeout: 15000 });
  await clickStart(provider);
  const popup = await (await target).page();
  await popup.setViewport({ width: 500, height: 640 });
  await popup.waitForSelector('main');
  return popup;
}
const NAMES = { hcss: 'HCSS', healthtap: 'HealthTap', bwell: 'b.well', hint: 'Hint' };
/** How many `kind` events of `provider` the page's log shows. */
const events = (kind, provider) =>
  page.$$eval(
    `.log li.${kind} .who`,
    (els, name) => els.filter((el) => el.textContent === name).length,
    NAMES[provider],
  );
/** Runs `action`, then waits for one more `kind` event of `provider` on the page. */
async function expectEvent(kind, provider, action) {
  const before = await events(kind, provider);
  await action();
  await page.waitForFunction(
    (selector, name, count) =>
      [...document.querySelectorAll(selector)].filter((el) => el.textContent === name).length >
      count,
    { timeout: 20000 },
    `.log li.${kind} .who`,
    NAMES[provider],
    before,
  );
}
/** Every popup closed again (the element closes it, or a severed one closes itself). */
async function popupsClosed() {
  for (let i = 0; i < 50; i++) {
    if ((await browser.pages()).length === 1) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const urls = (await browser.pages()).map((p) => p.url());
  throw new Error(`a popup was left open: ${urls.join(', ')}`);
}
const outcomeText = (provider) =>
  page.$eval(`.provider[data-provider="${provider}"] [data-outcome]`, (el) =>
    el.hidden ? '' : el.textContent,
  );
/** What the element's live region (the screen reader's) says. */
const spoken = (provider) =>
  page.$eval(`#${provider}`, (el) => el.shadowRoot.querySelector('[part="status"]').textContent);
/**
 * The top bar holds one row (every item on its middle line), nothing wider than the page, and
 * every provider mark shows its whole name.
 */
async function layoutHolds(width) {
  await page.setViewport({ width, height: 900 });
  const found = await page.evaluate(() => {
    const bar = document.querySelector('.topbar').getBoundingClientRect();
    const middle = bar.top + bar.height / 2;
    const offRow = [...document.querySelectorAll('.topbar > *')]
      .filter((el) => el.getClientRects().length)
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return Math.abs(box.top + box.height / 2 - middle) > 4;
      })
      .map((el) => el.className || el.tagName);
    // and no words wrap inside an item (each text on one line)
    const walker = document.createTreeWalker(
      document.querySelector('.topbar'),
      NodeFilter.SHOW_TEXT,
    );
    const range = document.createRange();
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      range.selectNodeContents(text);
      const tops = new Set([...range.getClientRects()].map((box) => Math.round(box.top)));
      if (tops.size > 1) offRow.push(text.data.trim());
    }
    const clipped = [...document.querySelectorAll('.mark')]
      .filter((el) => el.scrollWidth > el.clientWidth)
      .map((el) => el.textContent);
    return { offRow, clipped, scrollWidth: document.documentElement.scrollWidth };
  });
  assert.deepEqual(found.offRow, [], `${width} px: the top bar wraps`);
  assert.deepEqual(found.clipped, [], `${width} px: a provider mark is clipped`);
  assert.ok(found.scrollWidth <= width, `${width} px: the page scrolls sideways`);
}
/** The page's language switch. */
const chooseLang = async (lang) => {
  await page.click(`.topbar .lang button[lang="${lang}"]`);
  await page.waitForFunction((l) => document.documentElement.lang === l, {}, lang);
};
const cardText = (provider) =>
  page.$eval(`.provider[data-provider="${provider}"]`, (card) => {
    const el = card.querySelector('oauth-connect');
    return `${el?.shadowRoot.textContent ?? ''} ${card.querySelector('[data-outcome]').textContent}`;
  });
const setMode = (provider, mode) =>
  page.click(`.provider[data-provider="${provider}"] input[value="${mode}"]`);
/** The failure as the card shows it: once, in the element, with its status. */
const failure = (provider) =>
  page.$eval(`.provider[data-provider="${provider}"]`, (card) => {
    const el = card.querySelector('oauth-connect');
    return {
      slotted: el.querySelector('[slot="error"]')?.textContent ?? '',
      inElement: Boolean(el.shadowRoot.querySelector('[part="error"]')),
      outcomeHidden: card.querySelector('[data-outcome]').hidden,
    };
  });

try {
  step(`demo page ${origin}`);
  await page.goto(origin, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => customElements.get('oauth-connect'));
  await png(page, 'integrations.png');

  step('The top bar keeps one row at 390 and 1280 px; the marks are whole');
  for (const width of [390, 1280]) {
    await layoutHolds(width);
    await checkShot(page, `integrations-${width}.png`);
  }

  step('Español: the switch sets lang on the document and the demo speaks Spanish');
  await chooseLang('es');
  const spanish = await page.evaluate(() => ({
    h1: document.querySelector('h1').textContent,
    title: document.title,
    modes: [...document.querySelectorAll('[data-provider="hcss"] .segmented label')].map(
      (l) => l.textContent,
    ),
    bwell: document.querySelector('#bwell > span:not([slot])')?.textContent,
    pressed: document.querySelector('.lang button[aria-pressed="true"]').lang,
  }));
  assert.deepEqual(spanish, {
    h1: 'Integraciones',
    title: 'Integraciones · Kestrel — demo de oauth-connect',
    modes: ['Ventana', 'Sondeo', 'Redirección', 'Servidor'],
    bwell: 'Conectar Sunrise Health',
    pressed: 'es',
  });
  for (const width of [390, 1280]) {
    await layoutHolds(width);
    await checkShot(page, `integrations-es-${width}.png`);
  }
  // the choice lasts across pages and reloads
  await page.reload({ waitUntil: 'networkidle0' });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
  await chooseLang('en');
  assert.equal(await page.$eval('h1', (el) => el.textContent), 'Integrations');
  assert.match(await page.$eval('.intro p', (el) => el.textContent), /Connect the services/);
  await page.setViewport({ width: WIDTH, height: 900 });

  step('HCSS, popup: sign in, consent (served with COOP: the element offers Reopen · Cancel)');
  await expectEvent('connected', 'hcss', async () => {
    const hcss = await openPopup('hcss', '/identity/account/login');
    await png(hcss, 'hcss-sign-in.png');
    await hcss.type('#email', 'alex@acmepaving.example');
    await hcss.type('#password', 'demo');
    await Promise.all([hcss.waitForNavigation(), hcss.click('button[type="submit"]')]);
    await hcss.waitForSelector('button[value="allow"]');
    await png(hcss, 'hcss-consent.png');
    // the user looks back at the page (the sign-in window goes behind it, still open): the offer
    // shows on that return, never while the sign-in window is in front
    await page.bringToFront();
    // (headless Chromium moves no focus itself: the blur and focus a browser fires on the way)
    await page.evaluate(() => {
      window.dispatchEvent(new FocusEvent('blur'));
      window.dispatchEvent(new FocusEvent('focus'));
    });
    await page.waitForFunction(
      () => document.querySelector('#hcss')?.shadowRoot?.querySelector('[part="severed"]'),
      { polling: 100, timeout: 5000 },
    );
    await cardShot(page, 'hcss', 'hcss-severed.png');
    await hcss.click('button[value="allow"]');
  });
  // the element's own status line (status-url), with Reconnect and Disconnect
  await healthText('hcss', /Connected to Alex Rivera/);
  assert.match(await outcomeText('hcss'), /CompanyId 3f0c1e2a/);
  await popupsClosed();
  await cardShot(page, 'hcss', 'hcss-connected.png');

  step('HCSS, Reconnect denied: still connected, and the card keeps the CompanyId');
  await expectEvent('failed', 'hcss', async () => {
    const again = await openPopup('hcss', '/identity/connect/consent');
    await again.click('button[value="deny"]');
  });
  await popupsClosed();
  await healthText('hcss', /Connected to Alex Rivera/);
  assert.match(await outcomeText('hcss'), /CompanyId 3f0c1e2a/);
  await checkShot(await page.$('.provider[data-provider="hcss"]'), 'hcss-reconnect-denied.png');

  step('HealthTap, popup: Deny → failed (cancelled), shown once');
  await expectEvent('failed', 'healthtap', async () => {
    const deny = await openPopup('healthtap', '/oauth/authorize');
    await deny.click('button[value="deny"]');
  });
  const denied = await failure('healthtap');
  assert.ok(denied.inElement && denied.outcomeHidden, 'only the element shows the failure');
  assert.match(denied.slotted, /^cancelled Access was denied/);
  await popupsClosed();
  await cardShot(page, 'healthtap', 'healthtap-denied.png');

  step('HealthTap, polling: the element reads the popup’s URL back on this origin');
  await setMode('healthtap', 'polling');
  await expectEvent('connected', 'healthtap', async () => {
    const popup = await openPopup('healthtap', '/oauth/authorize');
    await popup.click('button[value="allow"]');
  });
  await healthText('healthtap', /Connected to HealthTap member f01bdaf1/);
  await popupsClosed();

  step('HealthTap, server mode: createServerFlow redeems the code; the element long-polls');
  await setMode('healthtap', 'server');
  await expectEvent('connected', 'healthtap', async () => {
    const popup = await openPopup('healthtap', '/oauth/authorize');
    await popup.click('button[value="allow"]');
  });
  await popupsClosed();

  step('HCSS, server mode (COOP too): the server takes the redirect, the popup closes itself');
  await setMode('hcss', 'server');
  await expectEvent('connected', 'hcss', async () => {
    const popup = await openPopup('hcss', '/identity/connect/consent');
    await popup.click('button[value="allow"]');
  });
  await healthText('hcss', /Connected to Alex Rivera/);
  await popupsClosed();

  step("b.well, popup: getOauthUrl, consent, b.well's hosted completion page posts status-success");
  await expectEvent('connected', 'bwell', async () => {
    const bwell = await openPopup('bwell', '/oauth/connect');
    await png(bwell, 'bwell-consent.png');
    await bwell.click('button[value="allow"]');
  });
  await healthText('bwell', /Connected to Sunrise Health/);
  await popupsClosed();

  step('b.well, polling: a custom redirect URL with ?status_code= (Cancel, then Connect)');
  await setMode('bwell', 'polling');
  await expectEvent('failed', 'bwell', async () => {
    const popup = await openPopup('bwell', '/oauth/connect');
    await popup.click('button[value="cancel"]');
  });
  assert.match((await failure('bwell')).slotted, /^cancelled /);
  await expectEvent('connected', 'bwell', async () => {
    const popup = await openPopup('bwell', '/oauth/connect');
    await popup.click('button[value="allow"]');
  });
  await popupsClosed();

  step('The event log and what the backend received');
  await page.waitForSelector('#received details');
  const hcssTrace = await page.evaluate(() => {
    // the HCSS code exchange, opened (the others folded), the panel unscrolled
    document.querySelector('.received').style.maxHeight = 'none';
    let found = false;
    for (const trace of document.querySelectorAll('#received details')) {
      trace.open = !found && trace.querySelector('summary').textContent.includes('HCSS: the code');
      found ||= trace.open;
    }
    return found;
  });
  assert.ok(hcssTrace, 'the HCSS exchange is in the backend panel');
  const panelText = await page.$eval('#received', (el) => el.innerText);
  assert.match(panelText, /CompanyId/);
  assert.match(panelText, /\(redacted\)/);
  await png(await page.$('.panels'), 'backend-received.png');

  step("Clear: each panel's Clear empties it; the connections stay, and say so");
  await page.click('#clear-log');
  assert.equal(await page.$$eval('#log li', (items) => items.length), 0);
  await page.click('#clear-received');
  await page.waitForFunction(() => !document.querySelector('#received details'));
  for (const [provider, name] of Object.entries({
    hcss: /Connected to Alex Rivera/,
    healthtap: /Connected to HealthTap member/,
    bwell: /Connected to Sunrise Health/,
  })) {
    await healthText(provider, name);
  }
  assert.match(await outcomeText('hcss'), /CompanyId 3f0c1e2a/);
  // what a screen reader hears is still true: HealthTap is connected
  assert.match(await spoken('healthtap'), /Connected to HealthTap/);
  await checkShot(await page.$('.panels'), 'panels-cleared.png');

  for (const provider of ['hcss', 'bwell']) {
    step(`${NAMES[provider]}, redirect: this tab goes to the provider and comes back`);
    await setMode(provider, 'redirect');
    await Promise.all([page.waitForNavigation(), clickStart(provider)]);
    await page.waitForSelector('button[value="allow"]');
    await Promise.all([page.waitForNavigation(), page.click('button[value="allow"]')]);
    await page.waitForFunction(() => location.pathname === '/' && !location.search, {
      timeout: 15000,
    });
    // the reloaded page's own event, not a connection the backend remembered from before
    await page.waitForSelector('.log li.connected', { timeout: 15000 });
    assert.equal(await events('connected', provider), 1);
    await setMode(provider, 'popup');
  }

  step('Hint, signed out: Integrate → the activation page holds the code → sign in → connected');
  await signOut();
  await page.goto(mocks.hint.adminUrl);
  await png(page, 'hint-admin.png');
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  assert.equal(new URL(page.url()).pathname, '/hint-activate.html');
  // the backend answered 401: the element fired signin-required and shows its sign-in slot
  await page.waitForSelector('#signin-tip:not([hidden])', { timeout: 15000 });
  assert.equal(new URL(page.url()).search, '', 'the code is scrubbed from the address bar');
  const held = await page.evaluate(() => sessionStorage.getItem('oauth-connect:held:hint'));
  assert.ok(held, 'the code is held in this tab');
  await png(page, 'hint-signin-required.png');
  await Promise.all([page.waitForNavigation(), page.click('#signin-link')]);
  assert.equal(new URL(page.url()).pathname, '/signin.html');
  await png(page, 'kestrel-signin.png');
  await kestrelSignIn();
  assert.equal(new URL(page.url()).pathname, '/hint-activate.html');
  await healthText('hint', /Connected to Joe's Practice/);
  assert.match(await page.$eval('[data-outcome]', (el) => el.textContent), /integration int-/);
  assert.equal(
    await page.evaluate(() => sessionStorage.getItem('oauth-connect:held:hint')),
    null,
    'the held code is gone',
  );
  await png(page, 'hint-activated.png');

  step('HCSS Marketplace, signed out: sign in, then autostart runs the PKCE flow, once');
  await signOut();
  await page.goto(mocks.hcss.marketplaceUrl + '?app=kestrel-demo');
  await png(page, 'hcss-marketplace.png');
  await Promise.all([page.waitForNavigation(), page.click('button[value="connect"]')]);
  await page.waitForFunction(() => location.pathname === '/signin.html', { timeout: 15000 });
  await kestrelSignIn();
  // back on /hcss-connect.html, signed in: the element leaves for HCSS by itself (HCSS still has
  // the sign-in of the popup above: its consent page)
  await page.waitForFunction(() => location.pathname === '/identity/connect/consent', {
    timeout: 15000,
  });
  await Promise.all([page.waitForNavigation(), page.click('button[value="allow"]')]);
  await page.waitForFunction(() => location.pathname === '/hcss-connect.html' && !location.search, {
    timeout: 15000,
  });
  await healthText('hcss', /Connected to Alex Rivera/);
  await png(page, 'hcss-arrival-connected.png');
  // a reload is no new arrival: the page stays (no second flow)
  await page.reload({ waitUntil: 'networkidle0' });
  await healthText('hcss', /Connected to Alex Rivera/);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(new URL(page.url()).pathname, '/hcss-connect.html', 'autostart ran once');
  const arrivalIds = () => page.$eval('[data-outcome]', (el) => (el.hidden ? '' : el.textContent));
  assert.match(
    await arrivalIds(),
    /CompanyId 3f0c1e2a/,
    'the reloaded page shows the ids it keeps',
  );

  step('/hcss-connect.html, Disconnect: the CompanyId goes; Verify connects again');
  await page.click('#hcss >>> [part="disconnect"]');
  await page.waitForSelector('#hcss >>> button[part="button"]');
  assert.equal(await arrivalIds(), '');
  await checkShot(page, 'hcss-arrival-disconnected.png');
  await Promise.all([page.waitForNavigation(), page.click('#hcss >>> button[part="button"]')]);
  await page.waitForSelector('button[value="allow"]');
  await Promise.all([page.waitForNavigation(), page.click('button[value="allow"]')]);
  await page.waitForFunction(() => location.pathname === '/hcss-connect.html' && !location.search, {
    timeout: 15000,
  });
  await healthText('hcss', /Connected to Alex Rivera/);
  await page.waitForFunction(() => !document.querySelector('[data-outcome]').hidden);
  assert.match(await arrivalIds(), /CompanyId 3f0c1e2a/);

  step('Back to the integrations page: every card says it is connected (status-url)');
  await page.goto(origin, { waitUntil: 'networkidle0' });
  for (const [provider, name] of Object.entries({
    hcss: /Connected to Alex Rivera/,
    healthtap: /Connected to HealthTap member/,
    bwell: /Connected to Sunrise Health/,
    hint: /Connected to Joe's Practice/,
  })) {
    await healthText(provider, name);
  }
  await cardShot(page, 'hint', 'hint-connected.png');

  step('Health: the integration reports an error (Hint), then HCSS is disconnected');
  await page.click('#hint-break');
  await healthText('hint', /integration_error_message/);
  assert.doesNotMatch(await cardText('hint'), /Reconnect/); // landing mode: Hint starts it
  await cardShot(page, 'hint', 'health-error.png');
  await expectEvent('disconnected', 'hcss', () => page.click('#hcss >>> [part="disconnect"]'));
  await page.waitForSelector('#hcss >>> button[part="button"]');
  assert.doesNotMatch(await cardText('hcss'), /Connected to/);
  assert.equal(await outcomeText('hcss'), '', 'the CompanyId goes with the connection');

  step('Hint, Disconnect: the card says how a practice connects again');
  await expectEvent('disconnected', 'hint', () => page.click('#hint >>> [part="disconnect"]'));
  const idle = () =>
    page.$eval('[data-provider="hint"] [data-idle]', (el) => (el.hidden ? '' : el.textContent));
  await page.waitForFunction(
    () => !document.querySelector('[data-provider="hint"] [data-idle]').hidden,
  );
  assert.match(await idle(), /Not connected\. A practice admin connects Kestrel from Hint/);
  await checkShot(await page.$('.provider[data-provider="hint"]'), 'hint-disconnected.png');

  step('No token reached the browser; no code is on view');
  const { codes, tokens } = mocks.issued();
  for (const name of ['hcss', 'healthtap', 'bwell', 'hint']) {
    const { issued } = mocks[name];
    console.log(`  ${name}: ${issued.codes.size} codes, ${issued.tokens.size} tokens issued`);
  }
  assert.ok(
    tokens.length >= 6 && codes.length >= 4,
    `the mocks issued ${codes.length} codes, ${tokens.length} tokens`,
  );
  for (const { url, text } of seen) {
    for (const token of tokens) assert.ok(!text.includes(token), `a token in ${url}`);
    for (const code of codes) assert.ok(!text.includes(code), `a code in ${url}`);
  }
  const visible = await page.evaluate(() => document.body.innerText + location.href);
  for (const secret of [...codes, ...tokens]) assert.ok(!visible.includes(secret));
  console.log(`ok: ${seen.length} responses from ${origin} checked, none with a token or code`);
} catch (error) {
  const events = await page.$eval('#log', (el) => el.innerText).catch(() => '(no log)');
  console.error(`events on the page:\n${events}`);
  throw error;
} finally {
  await browser.close();
  await vite.close();
}
