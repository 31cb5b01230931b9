// `node bench/attribution.mjs`: where the bytes go. Bundles src/index.ts with code splitting (as
// a partner's bundler would) and prints, per chunk, each module's share of the chunk's gzip size
// (its minified bytes' share, applied to the chunk's gzip -9 size: an estimate).
import { build } from 'esbuild';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
const r = await build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  splitting: true,
  outdir: '/tmp/oauth-connect-attribution',
  minify: true,
  format: 'esm',
  target: 'es2022',
  write: false,
  metafile: true,
  logLevel: 'silent',
});
for (const f of r.outputFiles) {
  if (!f.path.endsWith('.js')) continue;
  const key = Object.keys(r.metafile.outputs).find((k) =>
    f.path.endsWith(k.replace(/^.*attrib-out/, '')),
  );
  const out = r.metafile.outputs[key];
  const total = gzipSync(f.contents, { level: 9 }).length;
  console.log(
    '\n==',
    key,
    'gzip',
    (total / 1024).toFixed(2),
    'imports',
    out.imports.map((i) => i.kind[0] + ':' + i.path.replace(/.*\//, '')).join(' '),
  );
  const rows = Object.entries(out.inputs).map(([k, v]) => [
    k.replace(/.*node_modules\//, 'nm:'),
    v.bytesInOutput,
  ]);
  const sum = rows.reduce((a, [, b]) => a + b, 0);
  const groups = {};
  for (const [k, b] of rows) {
    const g = k.startsWith('nm:')
      ? k
          .split('/')
          .slice(0, k.includes('@') ? 2 : 1)
          .join('/')
      : k;
    groups[g] = (groups[g] || 0) + b;
  }
  for (const [g, b] of Object.entries(groups)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25))
    console.log(
      (((b / sum) * total) / 1024).toFixed(2).padStart(6),
      (b / 1024).toFixed(2).padStart(7),
      g,
    );
}
