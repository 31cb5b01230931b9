// oauth4webapi (and the rest of the server half) is a dependency of `oauth-connect/server` only:
// the browser entries' bundles take none of it. Checked on what a bundler puts in them: esbuild
// bundles each browser entry (with its lazily imported chunks) for the browser, and its metafile
// lists every module that went in.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ENTRIES = ['src/index.ts', 'src/connect.ts', 'src/callback.ts', 'src/react.ts'];

async function bundle(entryPoints) {
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    outdir: 'out', // (nothing is written)
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(metafile.inputs);
  const imports = Object.values(metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  return { inputs, imports };
}

describe('the browser bundles', () => {
  it('take no oauth4webapi and no server module (each browser entry, with its chunks)', async () => {
    const { inputs, imports } = await bundle(ENTRIES);
    assert.ok(inputs.includes('src/index.ts') && inputs.includes('src/callback.ts'));
    assert.ok(
      // (a checkout whose node_modules is a link resolves it to the link's target)
      inputs.some((p) => /(^|\/)node_modules\/lit\//.test(p)),
      'the bundle is real',
    );
    const offenders = [...inputs, ...imports].filter(
      (p) => /(^|\/)oauth4webapi(\/|$)/.test(p) || p.startsWith('src/server/'),
    );
    assert.deepEqual(offenders, []);
  });

  it('the check can fail: the server entry’s bundle has oauth4webapi in it', async () => {
    const { inputs } = await bundle(['src/server/index.ts']);
    assert.ok(inputs.some((p) => /(^|\/)oauth4webapi\//.test(p)));
  });
});
