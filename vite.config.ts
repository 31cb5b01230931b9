import { defineConfig, type Plugin, type UserConfig } from 'vite';

/**
 * Minifies the element's stylesheet (the one `css` template in src/*.styles.ts, which has no
 * interpolation): a partner's minifier leaves template strings alone, so the bytes would ship.
 * Comments and whitespace go; nothing that changes what a selector matches.
 */
function minifyStyles(): Plugin {
  return {
    name: 'oauth-connect-minify-styles',
    transform(code, id) {
      if (!id.endsWith('.styles.ts')) return undefined;
      return code.replace(/css`([^`$]*)`/g, (_, text: string) => {
        const min = text
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};,>])\s*/g, '$1')
          .replace(/:\s+/g, ':') // (a space before ':' may be a descendant combinator: kept)
          .replace(/;}/g, '}')
          .trim();
        return `css\`${min}\``;
      });
    },
  };
}

/**
 * `vite build`: the npm entry points (`.` and `./callback`), ESM, dependencies left external.
 * `vite build --mode cdn` / `--mode cdn-callback`: single-file, minified bundles for a <script
 * type="module"> from a CDN, with lit and zod/mini inlined.
 */
const cdn = (entry: string, fileName: string): UserConfig => ({
  plugins: [minifyStyles()],
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

/**
 * `vite build --mode callback-inline`: `dist/callback.inline.js`, a classic script (IIFE, minified)
 * to paste inline into the `redirect_uri` page: no second request, no deferred module. It defines
 * `OAuthConnectCallback.completeCallback`.
 */
const inlineCallback: UserConfig = {
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    minify: true,
    target: 'es2020',
    lib: {
      entry: 'src/callback.ts',
      formats: ['iife'],
      name: 'OAuthConnectCallback',
      fileName: () => 'callback.inline.js',
    },
    rollupOptions: { output: { minify: true } },
  },
};

export default defineConfig(({ mode }) => {
  if (mode === 'cdn') return cdn('src/index.ts', 'oauth-connect.min.js');
  if (mode === 'cdn-callback') return cdn('src/callback.ts', 'callback.min.js');
  if (mode === 'callback-inline') return inlineCallback;
  return {
    plugins: [minifyStyles()],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      minify: false,
      sourcemap: true,
      target: 'es2022',
      lib: {
        entry: {
          index: 'src/index.ts',
          callback: 'src/callback.ts',
          server: 'src/server/index.ts',
        },
        formats: ['es'],
      },
      rollupOptions: {
        external: [/^lit($|\/)/, /^@lit\//, /^zod($|\/)/],
      },
    },
  };
});
