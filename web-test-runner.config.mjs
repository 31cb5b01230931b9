// @ts-check
// Real browsers from Debian packages (no browser downloads here): Chromium, plus Firefox ESR (via
// WebDriver BiDi) and WebKitGTK (MiniBrowser through WebKitWebDriver under Xvfb) when they are
// installed (apt-get install firefox-esr webkit2gtk-driver xvfb xauth; .ci/run installs all three).
// BROWSERS=chromium, BROWSERS=firefox or BROWSERS=webkit picks engines, comma separated.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { existsSync } from 'node:fs';
import puppeteerCore from 'puppeteer-core';
import { countReporter } from './test/support/wtr-count-reporter.mjs';
import { reactPrebundlePlugin } from './test/support/wtr-react-plugin.mjs';
import {
  backendMiddleware,
  callbackBundlePlugin,
  coopMiddleware,
  holdMiddleware,
  originsPlugin,
  serverFlowMiddleware,
} from './test/support/servers.mjs';

const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const WEBKIT = ['/usr/bin/WebKitWebDriver', '/usr/bin/Xvfb'];
const want = process.env.BROWSERS
  ? process.env.BROWSERS.split(',').map((s) => s.trim())
  : [
      'chromium',
      ...(existsSync(FIREFOX) ? ['firefox'] : []),
      ...(WEBKIT.every((f) => existsSync(f)) ? ['webkit'] : []),
    ];
const chromeArgs = [
  '--no-sandbox', // CI runs as root
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** popupBlocker=true keeps Chromium's popup blocker on (puppeteer turns it off by default). */
const chromium = (popupBlocker = false) =>
  chromeLauncher({
    launchOptions: {
      executablePath: CHROMIUM,
      headless: true,
      args: chromeArgs,
      ignoreDefaultArgs: popupBlocker ? ['--disable-popup-blocking'] : [],
    },
  });

/**
 * The page for a test file. Puppeteer's BiDi `setViewport` (which the launcher calls before every
 * file) also sends `emulation.setScreenOrientationOverride`, a command Firefox ESR 140 (Debian
 * bookworm's) does not know: that one refusal is ignored — the viewport itself is set by the
 * command beside it, and the tests never read the screen's orientation. Anything else still fails.
 */
async function firefoxPage({ context }) {
  const page = await context.newPage();
  const setViewport = page.setViewport.bind(page);
  page.setViewport = (viewport) =>
    setViewport(viewport).catch((error) => {
      if (!/setScreenOrientationOverride/.test(String(error?.message))) throw error;
    });
  return page;
}

/** Firefox ESR through puppeteer-core; popupBlocker=true sets dom.disable_open_during_load. */
const firefox = (popupBlocker = false) =>
  chromeLauncher({
    puppeteer: /** @type {any} */ (puppeteerCore),
    createPage: firefoxPage,
    launchOptions: {
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      extraPrefsFirefox: popupBlocker ? { 'dom.disable_open_during_load': true } : {},
    },
  });

const normal = [];
const blocker = [];
if (want.includes('chromium')) {
  normal.push(chromium());
  blocker.push(chromium(true));
}
if (want.includes('firefox')) {
  normal.push(firefox());
  blocker.push(firefox(true));
}

if (want.includes('webkit')) {
  const { webdriverLauncher } = await import('@web/test-runner-webdriver');
  const { startWebKitDriver } = await import('./test/support/wtr-webkit.mjs');
  normal.push(webdriverLauncher(await startWebKitDriver({ popupsAllowed: true })));
  blocker.push(webdriverLauncher(await startWebKitDriver({ popupsAllowed: false })));
}

export default {
  files: ['test/**/*.test.ts', '!test/**/*.blocker.test.ts'],
  nodeResolve: true,
  reporters: [defaultReporter(), countReporter()],
  concurrency: 1,
  // one engine at a time: three at once on two cores starve WebKit's WebDriver and make timing
  // tests (close checks, grace periods) flaky
  concurrentBrowsers: 1,
  browserStartTimeout: 60000,
  testsFinishTimeout: 180000,
  testFramework: { config: { timeout: 15000 } },
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  middleware: [holdMiddleware(), coopMiddleware(), serverFlowMiddleware(), backendMiddleware()],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    originsPlugin(),
    callbackBundlePlugin(), // callback popups load no module graph (see test/support/servers.mjs)
    reactPrebundlePlugin(), // react / react-dom are CommonJS: served pre-bundled (test/react.test.ts)
  ],
  browsers: normal,
  groups: [{ name: 'popup-blocker', files: ['test/**/*.blocker.test.ts'], browsers: blocker }],
};
