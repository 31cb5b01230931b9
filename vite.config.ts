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
 * dist/react.js imports the element through the package's own `imports` entry `#main` (the main
 * entry that defines it, dist/index.js; dist/no-dom.js where there is no DOM), rather than having
 * the bundler move the main entry's code (and its `customElements.define`) into a shared, hashed
 * chunk: the package's `sideEffects` names dist/index.js, and `import 'oauth-connect'` must keep
 * defining the element.
 */
function reactImportsMainEntry(): Plugin {
  return {
    name: 'oauth-connect-react-imports-main-entry',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './index.js' && importer?.endsWith('/src/react.ts')) {
        // the package's own `imports` entry: dist/index.js, or dist/no-dom.js without a DOM
        return { id: '#main', external: true };
      }
      return undefined;
    },
  };
}

/**
 * `vite build`: the npm entry points (`.`, `./callback`, `./server`, `./react`), ESM, dependencies
 * and peers left external.
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
    // library mode keeps whitespace in `es` output; ask the bundler to minify the chunk fully.
    // One file: the engine's `import()` is inlined (a CDN user copies one file, not a folder).
    rollupOptions: { output: { minify: true, codeSplitting: false } },
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

/**
 * The browser code's chunks in dist/, cut so that a partner's bundler (which splits by which
 * entry points and `import()`s reach a file) ships a page load of two files and a popup flow of
 * two more, rather than one file per combination of modes that share a module:
 * - `kernel`: what the click needs synchronously and the runners use too (the options, errors,
 *   the popup window and its closer, the mode table, this tab's storage items);
 * - `engine`: one flow's code, shared by every runner (the engine, requests, the schemas of
 *   messages and the exchange answer, the popup runner itself, which the server runner extends,
 *   the origin's shared storage items).
 * The answer taker (url-answer.ts, storage/spend-once.ts), resuming (resume.ts), the redirect,
 * landing and server runners and connection health stay chunks of their own: a popup flow never
 * fetches them. Modules the callback
 * page or the server entry import as well (protocol, providers/types, …) are left where the
 * bundler puts them (a group would make those entries import it).
 */
const KERNEL =
  /\/src\/(core\/(abort|errors|config|url-safety|providers\/(bwell|generic|hcss|healthtap|hint|index))|flow\/(api|handle|modes\/index|storage\/tab|window\/(closer|popup-window)))\.ts$/;
const ENGINE =
  /\/src\/(core\/(backend|completion|deadline|exchange|issuer|ownership|request|schemas\/(messages|limits))|flow\/(engine|ready|modes\/popup|storage\/shared|window\/(channel|listen|presence|url-poller)))\.ts$/;

export default defineConfig(({ mode }) => {
  if (mode === 'cdn') return cdn('src/index.ts', 'oauth-connect.min.js');
  if (mode === 'cdn-callback') return cdn('src/callback.ts', 'callback.min.js');
  if (mode === 'callback-inline') return inlineCallback;
  return {
    plugins: [minifyStyles(), reactImportsMainEntry()],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      minify: false,
      sourcemap: true,
      target: 'es2022',
      lib: {
        entry: {
          index: 'src/index.ts',
          connect: 'src/connect.ts',
          'no-dom': 'src/no-dom.ts',
          callback: 'src/callback.ts',
          server: 'src/server/index.ts',
          react: 'src/react.ts',
        },
        formats: ['es'],
      },
      rollupOptions: {
        // dependencies and peers stay imports (react.js needs @lit/react and react, both peers;
        // server.js needs oauth4webapi)
        external: [/^lit($|\/)/, /^@lit\//, /^zod($|\/)/, /^react($|\/)/, /^oauth4webapi($|\/)/],
        // (a group holds only the modules it names, not their imports; which needs this)
        preserveEntrySignatures: 'allow-extension',
        output: {
          codeSplitting: {
            includeDependenciesRecursively: false,
            groups: [
              { name: 'kernel', test: KERNEL },
              { name: 'engine', test: ENGINE },
            ],
          },
        },
      },
    },
  };
});
