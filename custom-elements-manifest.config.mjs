// `cem analyze` (the last step of `npm run build`, after vite): custom-elements.json describes the
// files the package ships, not its sources. dist/ is bundled, so each analyzed source module is
// mapped to the entry that ships it, and the build fails if that entry's sourcemap says otherwise.
// Also writes dist/vscode.html-custom-data.json (VS Code `html.customData`) from the manifest.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import ts from 'typescript';
import { readOptionDocs } from './scripts/option-docs.mjs';

/** Analyzed source → the shipped file whose bundle holds it (and exports what it exports). */
const SHIPPED = {
  'src/index.ts': 'dist/index.js', // customElements.define('oauth-connect', …), the public API
  'src/oauth-connect.ts': 'dist/index.js', // the element class
};
/** `const X = [...] as const` + `type Y = (typeof X)[number]`: attribute types expanded to literals. */
const ALIAS_SOURCES = ['src/core/providers/types.ts'];
const VSCODE_DATA = 'dist/vscode.html-custom-data.json';

export default {
  globs: Object.keys(SHIPPED),
  outdir: '.',
  litelement: true,
  packagejson: false, // package.json names it already: the build leaves package.json alone
  plugins: [shippedPaths(), optionDocs(), expandAliases(), vscodeCustomData()],
};

/** Modules renamed and merged by shipped file; type-only exports dropped (nothing to import). */
function shippedPaths() {
  const typeOnly = new Map(); // source path → names exported with `export type`
  return {
    name: 'oauth-connect-shipped-paths',
    analyzePhase({ ts, node, moduleDoc }) {
      // (the analyzer's own TypeScript: its syntax kinds may differ from the project's)
      if (
        !ts.isExportDeclaration(node) ||
        !node.exportClause ||
        !ts.isNamedExports(node.exportClause)
      )
        return;
      for (const el of node.exportClause.elements) {
        if (!node.isTypeOnly && !el.isTypeOnly) continue;
        if (!typeOnly.has(moduleDoc.path)) typeOnly.set(moduleDoc.path, new Set());
        typeOnly.get(moduleDoc.path).add(el.name.text);
      }
    },
    packageLinkPhase({ customElementsManifest: manifest }) {
      const merged = new Map();
      for (const mod of manifest.modules) {
        const path = SHIPPED[mod.path];
        if (!path) throw new Error(`custom-elements.json: which shipped file holds ${mod.path}?`);
        assertBundled(mod.path, path);
        const out = merged.get(path) ?? {
          kind: 'javascript-module',
          path,
          declarations: [],
          exports: [],
        };
        out.declarations.push(...(mod.declarations ?? []));
        const skip = typeOnly.get(mod.path) ?? new Set();
        for (const e of mod.exports ?? []) {
          if (e.kind === 'js' && skip.has(e.name)) continue;
          if (!out.exports.some((x) => x.kind === e.kind && x.name === e.name)) out.exports.push(e);
        }
        merged.set(path, out);
      }
      // every reference into this package names the shipped file (what a partner can import)
      for (const mod of merged.values()) pointAt(mod, mod.path);
      manifest.modules = [...merged.values()];
    },
  };
}

function assertBundled(source, shipped) {
  let sources;
  try {
    sources = JSON.parse(readFileSync(`${shipped}.map`, 'utf8')).sources;
  } catch {
    throw new Error(`custom-elements.json: ${shipped}.map is missing: run vite build first`);
  }
  if (!sources.includes(relative(dirname(shipped), source))) {
    throw new Error(
      `custom-elements.json: ${source} is not bundled into ${shipped}: update SHIPPED`,
    );
  }
}

function pointAt(value, path) {
  if (Array.isArray(value)) for (const v of value) pointAt(v, path);
  else if (value && typeof value === 'object') {
    if (typeof value.module === 'string' && !value.package) {
      value.module = SHIPPED[value.module.replace(/^\.?\//, '')] ?? path;
    }
    for (const v of Object.values(value)) pointAt(v, path);
  }
}

/**
 * Each option is documented once, on `ConnectOptions` (src/core/config.ts): its text and `@default`
 * become the element's attribute and field docs. An option the element documents again, or an
 * element property documented nowhere, fails the build.
 */
function optionDocs() {
  const docs = readOptionDocs();
  return {
    name: 'oauth-connect-option-docs',
    packageLinkPhase({ customElementsManifest: manifest }) {
      for (const mod of manifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (!decl.customElement) continue;
          for (const item of [...(decl.attributes ?? []), ...(decl.members ?? [])]) {
            const name = item.fieldName ?? item.name;
            if (item.kind === 'method' || item.privacy === 'private') continue;
            if (item.kind !== undefined && item.kind !== 'field') continue;
            const doc = docs.get(name);
            if (doc && item.description && item.description !== doc.description) {
              throw new Error(
                `custom-elements.json: ${name} is documented on ConnectOptions; drop the element's copy`,
              );
            }
            if (doc) Object.assign(item, doc);
            else if (!item.description && (item.attribute || item.fieldName)) {
              throw new Error(`custom-elements.json: the element's ${name} has no doc`);
            }
          }
        }
      }
    },
  };
}

/** `{ text: 'Mode | undefined' }` → `{ text: "'popup' | … | undefined" }`, for editors and wrappers. */
function expandAliases() {
  const aliases = new Map();
  for (const file of ALIAS_SOURCES) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    const consts = new Map();
    for (const s of source.statements) {
      if (ts.isVariableStatement(s)) {
        for (const d of s.declarationList.declarations) {
          let init = d.initializer;
          if (init && ts.isAsExpression(init)) init = init.expression;
          if (
            init &&
            ts.isArrayLiteralExpression(init) &&
            init.elements.every(ts.isStringLiteral)
          ) {
            consts.set(
              d.name.getText(source),
              init.elements.map((e) => `'${e.text}'`),
            );
          }
        }
      } else if (ts.isTypeAliasDeclaration(s)) {
        const m = /^\(typeof (\w+)\)\[number\]$/.exec(s.type.getText(source));
        if (m && consts.has(m[1])) aliases.set(s.name.text, consts.get(m[1]));
      }
    }
  }
  const expand = (text) =>
    text
      .split('|')
      .map((t) => aliases.get(t.trim())?.join(' | ') ?? t.trim())
      .join(' | ');
  return {
    name: 'oauth-connect-expand-aliases',
    packageLinkPhase({ customElementsManifest: manifest }) {
      for (const mod of manifest.modules) {
        for (const decl of mod.declarations ?? []) {
          for (const item of [...(decl.attributes ?? []), ...(decl.members ?? [])]) {
            if (item.type?.text) item.type.text = expand(item.type.text);
          }
        }
      }
    },
  };
}

/** VS Code `html.customData` (https://github.com/microsoft/vscode-custom-data) from the manifest. */
function vscodeCustomData() {
  const literals = (text = '') => {
    const parts = text
      .split('|')
      .map((t) => t.trim())
      .filter((t) => t !== 'undefined');
    if (!parts.length || !parts.every((t) => /^'[^']*'$/.test(t))) return undefined;
    return parts.map((t) => ({ name: t.slice(1, -1) }));
  };
  return {
    name: 'oauth-connect-vscode-custom-data',
    packageLinkPhase({ customElementsManifest: manifest }) {
      const { homepage } = JSON.parse(readFileSync('package.json', 'utf8'));
      const tags = [];
      for (const mod of manifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (!decl.customElement || !decl.tagName) continue;
          const events = (decl.events ?? []).map((e) => `\`${e.name}\``).join(', ');
          tags.push({
            name: decl.tagName,
            description: `${decl.summary ?? decl.description ?? ''}\n\nEvents: ${events}.`,
            attributes: (decl.attributes ?? []).map((a) => {
              const values = literals(a.type?.text);
              return {
                name: a.name,
                ...(a.description ? { description: a.description } : {}),
                ...(a.type?.text === 'boolean' ? { valueSet: 'v' } : values ? { values } : {}),
              };
            }),
            ...(homepage ? { references: [{ name: 'README', url: homepage }] } : {}),
          });
        }
      }
      writeFileSync(VSCODE_DATA, `${JSON.stringify({ version: 1.1, tags }, null, 2)}\n`);
    },
  };
}
