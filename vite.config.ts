import { defineConfig } from 'vite';

// Library build: ESM entry points for npm (`.` and `./callback`), dependencies left external.
// The single-file CDN bundle (lit and zod inlined, minified) is built by `vite build --mode cdn`.
export default defineConfig(({ mode }) =>
  mode === 'cdn'
    ? {
        build: {
          outDir: 'dist/cdn',
          emptyOutDir: true,
          minify: true,
          target: 'es2022',
          lib: {
            entry: { 'oauth-connect': 'src/index.ts', callback: 'src/callback.ts' },
            formats: ['es'],
          },
        },
      }
    : {
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
      },
);
