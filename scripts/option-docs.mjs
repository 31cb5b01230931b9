// The options' documentation, read from its one place: the JSDoc of `ConnectOptions` in
// src/core/config.ts (text and `@default`). Used by custom-elements-manifest.config.mjs (which
// writes it into custom-elements.json) and by test/server/docs.test.mjs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const squash = (text) => text?.replace(/\s+/g, ' ').trim();

/** ConnectOptions' members → `{ description, default? }`; an undocumented one throws. */
export function readOptionDocs(root = '.') {
  const file = 'src/core/config.ts';
  const source = ts.createSourceFile(
    file,
    readFileSync(path.join(root, file), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const iface = source.statements.find(
    (s) => ts.isInterfaceDeclaration(s) && s.name.text === 'ConnectOptions',
  );
  if (!iface) throw new Error(`no ConnectOptions in ${file}`);
  const docs = new Map();
  for (const member of iface.members) {
    const jsdoc = ts.getJSDocCommentsAndTags(member).find(ts.isJSDoc);
    const description = squash(ts.getTextOfJSDocComment(jsdoc?.comment));
    if (!description) throw new Error(`ConnectOptions.${member.name.getText()} has no doc`);
    const tag = jsdoc.tags?.find((t) => t.tagName.text === 'default');
    const fallback = tag && squash(ts.getTextOfJSDocComment(tag.comment));
    docs.set(member.name.getText(), { description, ...(fallback ? { default: fallback } : {}) });
  }
  return docs;
}
