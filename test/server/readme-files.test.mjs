// What the README names ships (issue 17.4): every `dist/…` and `examples/…` path it mentions is in
// the tarball `npm pack` makes (the README travels in it: a partner reading it in
// node_modules/oauth-connect must find each file it points at). Needs `npm run build` first.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** The files `npm pack` would put in the tarball, as paths inside the package. */
function packed() {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Set(JSON.parse(out)[0].files.map((f) => f.path));
}

/** The package paths the README names: `dist/…`, `examples/…` (a `node_modules/oauth-connect/` prefix dropped). */
export function namedPaths(markdown) {
  const found = markdown.matchAll(
    /(?<![\w./-])(?:node_modules\/oauth-connect\/)?((?:dist|examples)\/[\w./-]*)/g,
  );
  return [...new Set([...found].map((m) => m[1].replace(/[.]+$/, '')))];
}

describe('README: what it names ships', () => {
  it('the path finder sees the README’s kinds of path (and would fail on one that is missing)', () => {
    assert.deepEqual(
      namedPaths(
        'copy `dist/cdn/oauth-connect.min.js` or node_modules/oauth-connect/dist/callback.inline.js; see examples/react/NativeApp.tsx. And src/x.ts.',
      ),
      ['dist/cdn/oauth-connect.min.js', 'dist/callback.inline.js', 'examples/react/NativeApp.tsx'],
    );
  });

  it('every dist/… and examples/… path in README.md is in npm pack’s file list', () => {
    const files = packed();
    assert.ok(files.has('README.md') && files.has('package.json'), 'a real pack list');
    const named = namedPaths(readFileSync(path.join(root, 'README.md'), 'utf8'));
    assert.ok(named.includes('dist/callback.inline.js'), 'the README names the inline callback');
    const missing = named.filter((name) =>
      name.endsWith('/') ? ![...files].some((f) => f.startsWith(name)) : !files.has(name),
    );
    assert.deepEqual(missing, [], 'named in README.md but not in the tarball');
  });
});
