// Sizes of what a partner ships: each entry bundled by esbuild as a partner's bundler would (ESM,
// minified, code splitting on), gzip -9 and brotli per chunk. "First load" is the entry chunk and
// every chunk it imports statically; "all" adds the chunks loaded later with import().
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

/**
 * Bundles `contents` (an entry module's source) in a throwaway app whose node_modules holds the
 * packages named in `modules` (name → folder), so imports resolve through package.json "exports".
 */
export async function measure(name, contents, modules) {
  const app = mkdtempSync(path.join(os.tmpdir(), 'oauth-connect-bench-'));
  try {
    mkdirSync(path.join(app, 'node_modules'), { recursive: true });
    for (const [pkg, dir] of Object.entries(modules)) {
      const link = path.join(app, 'node_modules', pkg);
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(dir, link, 'dir');
    }
    writeFileSync(path.join(app, 'entry.js'), contents);
    const result = await build({
      entryPoints: [path.join(app, 'entry.js')],
      bundle: true,
      splitting: true,
      minify: true,
      format: 'esm',
      target: 'es2022',
      platform: 'browser',
      outdir: path.join(app, 'out'),
      absWorkingDir: app,
      write: false,
      metafile: true,
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const bytes = new Map(
      result.outputFiles
        .filter((f) => f.path.endsWith('.js'))
        .map((f) => [path.relative(app, f.path), f.contents]),
    );
    const outputs = result.metafile.outputs;
    const entry = Object.keys(outputs).find((o) => outputs[o].entryPoint && o.endsWith('.js'));
    const first = new Set();
    const visit = (file) => {
      if (first.has(file)) return;
      first.add(file);
      for (const i of outputs[file].imports) if (i.kind === 'import-statement') visit(i.path);
    };
    visit(entry);
    const sum = (files) => {
      const total = { minified: 0, gzip: 0, brotli: 0 };
      for (const f of files) {
        const code = bytes.get(f);
        total.minified += code.length;
        total.gzip += gzipSync(code, { level: 9 }).length;
        total.brotli += brotliCompressSync(code).length;
      }
      return total;
    };
    const inputs = Object.keys(result.metafile.inputs);
    return {
      name,
      first: sum(first),
      all: sum(bytes.keys()),
      chunks: bytes.size,
      lit: inputs.some((i) => /node_modules\/(lit|@lit|lit-html|lit-element)\//.test(i)),
      zod: inputs.some((i) => i.includes('node_modules/zod/')),
      firstInputs: inputs,
    };
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}
