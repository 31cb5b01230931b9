// `npm run bench`: sizes of what a partner ships, measured on the published entry points (dist/,
// run `npm run build` first): `import 'oauth-connect'` (lit and zod/mini included) and
// `import { completeCallback } from 'oauth-connect/callback'`, each bundled, minified and gzipped.
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const entry of Object.values(pkg.exports)) {
  const file = typeof entry === 'string' ? entry : entry.import;
  if (!existsSync(path.join(root, file))) {
    console.error(`Missing ${file}: run \`npm run build\` first.`);
    process.exit(1);
  }
}

// A throwaway "partner app" whose node_modules/oauth-connect is this package, so that imports
// resolve through package.json "exports", exactly as they do for a partner's bundler.
const app = mkdtempSync(path.join(os.tmpdir(), 'oauth-connect-size-'));
mkdirSync(path.join(app, 'node_modules'));
symlinkSync(root, path.join(app, 'node_modules', 'oauth-connect'), 'dir');
process.on('exit', () => rmSync(app, { recursive: true, force: true }));

async function measure(name, contents) {
  const result = await build({
    stdin: { contents, resolveDir: app, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.keys(result.metafile.inputs);
  return {
    name,
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code).length,
    lit: inputs.some((i) => /node_modules\/(lit|@lit|lit-html|lit-element)\//.test(i)),
    zod: inputs.some((i) => i.includes('node_modules/zod/')),
  };
}

const rows = [
  await measure("import 'oauth-connect'", "import 'oauth-connect';"),
  await measure(
    "import { completeCallback } from 'oauth-connect/callback'",
    "import { completeCallback } from 'oauth-connect/callback'; completeCallback();",
  ),
];
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
console.log(
  'bundle (esbuild, minified, es2022)                        min        gzip     brotli  lit  zod',
);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(56)} ${kb(r.minified).padStart(9)} ${kb(r.gzip).padStart(10)} ${kb(r.brotli).padStart(10)}  ${r.lit ? 'yes' : 'no '}  ${r.zod ? 'yes' : 'no'}`,
  );
}
const callback = rows[1];
if (callback.lit || callback.zod) {
  console.error('The callback entry must not pull in Lit or zod.');
  process.exit(1);
}
