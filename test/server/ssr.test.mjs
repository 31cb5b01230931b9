// Outside a browser: every entry imports without throwing — in Node (server-side rendering) and in
// an edge / worker bundle with no DOM at all — and a flow started there rejects with a typed
// ConnectError (`invalid_config`), never a ReferenceError. Uses the built package (dist/) through
// its own `exports`, as a partner's app resolves it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const ENTRIES = ['oauth-connect', 'oauth-connect/connect', 'oauth-connect/callback'];

async function expectInvalidConfig(promise, ConnectError) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof ConnectError, `a ConnectError, not ${error?.name}: ${error}`);
    assert.equal(error.status, 'invalid_config');
    assert.match(error.message, /browser/);
    return true;
  });
}

describe('in Node (server-side rendering)', () => {
  it('every entry imports; nothing global is required', async () => {
    assert.equal(typeof globalThis.window, 'undefined');
    for (const entry of [...ENTRIES, 'oauth-connect/server', 'oauth-connect/react']) {
      const module = await import(entry);
      assert.ok(Object.keys(module).length > 0, entry);
    }
  });

  it('connect() and startFlow() reject with invalid_config; resumeFlow finds nothing', async () => {
    for (const entry of ['oauth-connect', 'oauth-connect/connect']) {
      const { connect, startFlow, resumeFlow, preloadFlow, ConnectError } = await import(entry);
      const options = { provider: 'hcss', clientId: 'c', redirectUri: 'https://a.example/cb' };
      let handle;
      assert.doesNotThrow(() => (handle = startFlow(options)));
      await expectInvalidConfig(handle.result, ConnectError);
      await expectInvalidConfig(connect(options), ConnectError);
      assert.equal(await resumeFlow(options), undefined);
      await preloadFlow(options); // nothing to load, and no throw
    }
  });
});

/** The globals an edge / worker runtime has (WinterCG-ish): no window, document or HTMLElement. */
function edgeGlobals() {
  const names = [
    'URL',
    'URLSearchParams',
    'TextEncoder',
    'TextDecoder',
    'crypto',
    'fetch',
    'Request',
    'Response',
    'Headers',
    'AbortController',
    'AbortSignal',
    'Event',
    'EventTarget',
    'CustomEvent',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'queueMicrotask',
    'structuredClone',
    'console',
    'atob',
    'btoa',
    'performance',
  ];
  const context = Object.fromEntries(names.map((n) => [n, globalThis[n]]));
  context.globalThis = context;
  context.self = context;
  return vm.createContext(context);
}

/** Bundles `code` (importing the package by name) for a worker runtime, as esbuild would. */
async function edgeBundle(code) {
  const app = mkdtempSync(path.join(os.tmpdir(), 'oauth-connect-edge-'));
  try {
    mkdirSync(path.join(app, 'node_modules'));
    symlinkSync(root, path.join(app, 'node_modules', 'oauth-connect'), 'dir');
    writeFileSync(path.join(app, 'entry.js'), code);
    const result = await build({
      entryPoints: [path.join(app, 'entry.js')],
      absWorkingDir: app,
      bundle: true,
      platform: 'neutral',
      conditions: ['worker', 'browser'],
      mainFields: ['module', 'main'],
      format: 'iife',
      globalName: 'app',
      define: { 'process.env.NODE_ENV': '"production"' },
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles[0].text;
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

describe('in an edge / worker bundle (no DOM)', () => {
  it('every entry imports without throwing, and a flow rejects with invalid_config', async () => {
    const source = await edgeBundle(`
      export * as main from 'oauth-connect';
      export * as connectEntry from 'oauth-connect/connect';
      export * as callback from 'oauth-connect/callback';
      export * as server from 'oauth-connect/server';
      export * as react from 'oauth-connect/react';
    `);
    assert.doesNotMatch(source, /customElements\.define\(/); // the no-DOM entry was chosen
    const context = edgeGlobals();
    assert.equal(vm.runInContext('typeof HTMLElement', context), 'undefined');
    vm.runInContext(source, context);
    const { main, connectEntry, react, server } = context.app;
    assert.equal(typeof react.OAuthConnect, 'object'); // the React component (forwardRef)
    assert.equal(typeof server.createExchangeHandler, 'function');
    for (const api of [main, connectEntry]) {
      await expectInvalidConfig(api.connect({ provider: 'hcss' }), api.ConnectError);
    }
    assert.throws(
      () => new main.OAuthConnect(),
      (e) => e.status === 'invalid_config',
    );
  });
});
