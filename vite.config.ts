import { defineConfig, type UserConfig } from 'vite';

/**
 * `vite build`: the npm entry points (`.` and `./callback`), ESM, dependencies left external.
 * `vite build --mode cdn` / `--mode cdn-callback`: single-file, minified bundles for a <script
 * type="module"> from a CDN, with lit and zod/mini inlined.
 */
const cdn = (entry: string, fileName: string): UserConfig => ({
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: false,
    minify: true,
    target: 'es2022',
    lib: { entry, formats: ['es'], fileName: () => fileName },
    // library mode keeps whitespace in `es` output; ask the bundler to minify the chunk fully
    rollupOptions: { output: { minify: true } },
  },
});

export default defineConfig(({ mode }) => {
  if (mode === 'cdn') return cdn('src/index.ts', 'oauth-connect.min.js');
  if (mode === 'cdn-callback') return cdn('src/callback.ts', 'callback.min.js');
  return {
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      minify: false,
      sourcemap: true,
      target: 'es2022',
      lib: {
        entry: { index: 'src/index.ts', callback: 'src/callback.ts' },
        formats: ['es'],
      },
      rollupOptions: {
        external: [/^lit($|\/)/, /^@lit\//, /^zod($|\/)/],
      },
    },
  };
});
