// `node bench/attribution.mjs`: where the bytes go. Bundles src/index.ts with code splitting (as
// a partner's bundler would) and prints, per chunk, each module's share of the chunk's gzip size
// (its minified bytes' share, applied to the chunk's gzip -9 size: an estimate).
import { build } from 'esbuild';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const result = await build({
  entryPoints: ['src/index.ts'],
  bundle: true,
  splitting: true,
  outdir: 'attribution-out',
  minify: true,
  format: 'esm',
  target: 'es2022',
  write: false,
  metafile: true,
  logLevel: 'silent',
});
const kb = (n) => (n / 1024).toFixed(2);
for (const file of result.outputFiles) {
  if (!file.path.endsWith('.js')) continue;
  const output = result.metafile.outputs[path.relative(process.cwd(), file.path)];
  const gzip = gzipSync(file.contents, { level: 9 }).length;
  const imports = output.imports.map(
    (i) => `${i.kind === 'dynamic-import' ? 'import()' : 'import'} ${path.basename(i.path)}`,
  );
  console.log(
    `\n== ${path.basename(file.path)}: ${kb(gzip)} KB gzip; ${imports.join(', ') || 'no imports'}`,
  );
  const groups = new Map();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const name = m ? m[1] : input;
    groups.set(name, (groups.get(name) ?? 0) + bytesInOutput);
  }
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  for (const [name, bytes] of [...groups].sort((a, b) => b[1] - a[1])) {
    if (bytes) console.log(`${kb((bytes / total) * gzip).padStart(6)} KB  ${name}`);
  }
}
