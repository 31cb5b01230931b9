// @ts-check
// Real browsers from Debian packages (no browser downloads here). BROWSERS=chromium (default).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { countReporter } from './test/support/wtr-count-reporter.mjs';
import { backendMiddleware, originsPlugin } from './test/support/servers.mjs';

const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
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

export default {
  files: ['test/**/*.test.ts', '!test/**/*.blocker.test.ts'],
  nodeResolve: true,
  reporters: [defaultReporter(), countReporter()],
  concurrency: 1,
  browserStartTimeout: 60000,
  testsFinishTimeout: 180000,
  testFramework: { config: { timeout: 15000 } },
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  middleware: [backendMiddleware()],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    originsPlugin(),
  ],
  browsers: [chromium()],
  groups: [
    { name: 'popup-blocker', files: ['test/**/*.blocker.test.ts'], browsers: [chromium(true)] },
  ],
};
