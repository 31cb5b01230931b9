// Each option is documented once, on ConnectOptions (src/core/config.ts). The built manifest
// (custom-elements.json, by `npm run build`) takes its text from there, and the README's attribute
// table is made from the manifest (`npm run docs`): these tests fail when either has drifted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readOptionDocs } from '../../scripts/option-docs.mjs';
import { attributesSection, readmeWithAttributes } from '../../scripts/readme-attributes.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const read = (file) => readFileSync(path.join(root, file), 'utf8');
const manifest = JSON.parse(read('custom-elements.json'));
const element = manifest.modules
  .flatMap((m) => m.declarations ?? [])
  .find((d) => d.tagName === 'oauth-connect');

/** ConnectOptions' members and their doc text, read from the source. */
const connectOptions = () =>
  new Map([...readOptionDocs(root)].map(([name, doc]) => [name, doc.description]));

describe('documentation: each option once', () => {
  it('the element has a property for every option but fetch and onProgress (connect() only: the element fires connect-progress), documented with the option’s text', () => {
    const fields = new Map(
      element.members.filter((m) => m.kind === 'field').map((m) => [m.name, m]),
    );
    for (const [name, text] of connectOptions()) {
      if (name === 'fetch' || name === 'onProgress') continue;
      assert.ok(fields.has(name), `<oauth-connect> has no ${name} property`);
      assert.equal(fields.get(name).description, text, `${name}: the manifest's text`);
    }
  });

  it('the element documents no option itself (the source carries one copy, on ConnectOptions)', () => {
    const source = read('src/oauth-connect.ts');
    for (const name of connectOptions().keys()) {
      assert.doesNotMatch(
        source,
        new RegExp(`\\*/\\s*declare ${name}\\b`),
        `src/oauth-connect.ts documents ${name} again`,
      );
    }
  });

  it('every attribute has a description (the element-only ones from the element)', () => {
    for (const a of element.attributes) assert.ok(a.description, `${a.name} is undocumented`);
  });

  it('the README’s attribute table is the one made from the manifest', async () => {
    const readme = read('README.md');
    assert.ok(readme.includes(attributesSection(manifest).split('\n')[0]), 'markers in README');
    assert.equal(
      readme,
      await readmeWithAttributes(readme, manifest, path.join(root, 'README.md')),
      'README.md is out of date: run `npm run docs`',
    );
    for (const a of element.attributes) assert.ok(readme.includes(`| \`${a.name}\``), a.name);
  });
});
