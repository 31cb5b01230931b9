// The README's attribute table, made from custom-elements.json (whose option docs come from
// ConnectOptions in src/core/config.ts: each option is documented once). `npm run docs` rewrites
// the README between the markers; test/server/readme.test.mjs fails when it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';

const START = '<!-- attributes: made from custom-elements.json by `npm run docs` -->';
const END = '<!-- /attributes -->';

const cell = (text) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
/** A default that is a value (`'auto'`, `500`, `false`) is code; prose stays prose. */
const value = (text) =>
  text === undefined ? '—' : /^('[^']*'|-?\d+|true|false)$/.test(text) ? `\`${text}\`` : cell(text);

/** The generated section (markers included) for a manifest. */
export function attributesSection(manifest) {
  const decl = manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .find((d) => d.customElement && d.tagName === 'oauth-connect');
  if (!decl) throw new Error('custom-elements.json has no <oauth-connect>');
  const rows = decl.attributes.map(
    (a) => `| \`${a.name}\` | ${cell(a.description ?? '')} | ${value(a.default)} |`,
  );
  const properties = decl.members.filter(
    (m) => m.kind === 'field' && m.privacy !== 'private' && !m.attribute && !m.readonly,
  );
  for (const p of properties) {
    rows.push(
      `| \`${p.name}\` (property only) | ${cell(p.description ?? '')} | ${value(p.default)} |`,
    );
  }
  return [
    START,
    '',
    '| attribute | meaning | default |',
    '| --- | --- | --- |',
    ...rows,
    '',
    END,
  ].join('\n');
}

/** The README with its attribute section made from the manifest, formatted as the repo formats. */
export async function readmeWithAttributes(readme, manifest, file = 'README.md') {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from)
    throw new Error(`README.md: the markers ${START} … ${END} are missing`);
  const next = readme.slice(0, from) + attributesSection(manifest) + readme.slice(to + END.length);
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(next, { ...options, filepath: file });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
  const readme = readFileSync('README.md', 'utf8');
  writeFileSync('README.md', await readmeWithAttributes(readme, manifest));
  console.log('README.md: attribute table written from custom-elements.json');
}
