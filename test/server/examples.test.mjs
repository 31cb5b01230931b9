// The framework examples in examples/ (README, "In frameworks") compiled by each framework's own
// compiler, as a partner's build would: Vue's SFC compiler with the README's isCustomElement option,
// the Svelte 5 compiler, and Angular's AOT compiler with strictTemplates (which also type-checks the
// template and the component). Each asserts that <oauth-connect> stays a custom element and that
// its `connected` / `failed` events are bound. (Their TypeScript is also checked by vue-tsc and
// svelte-check in npm run typecheck.) Angular resolves 'oauth-connect' through the package's own
// `exports`, i.e. the built types in dist/ (run npm run build first), as a partner's app does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const example = (file) => path.join(root, 'examples', file);

/** The README's one fenced block in `language` (its "In frameworks" snippet). */
function readmeSnippet(language) {
  const blocks = [
    ...readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(
      new RegExp('^```' + language + '\\n([^]*?)^```$', 'gm'),
    ),
  ];
  assert.equal(blocks.length, 1, `one \`\`\`${language} block in README.md`);
  return blocks[0][1];
}

describe('Vue 3 example (examples/vue/App.vue)', () => {
  /** What @vitejs/plugin-vue does with the README's option: parse, then compile the script setup
   *  with its template inlined into the render function. */
  async function compileSfc(compilerOptions) {
    const { parse, compileScript } = await import('vue/compiler-sfc');
    const filename = example('vue/App.vue');
    const { descriptor, errors } = parse(readFileSync(filename, 'utf8'), {
      filename,
      templateParseOptions: compilerOptions,
    });
    assert.deepEqual(errors, []);
    const script = compileScript(descriptor, {
      id: 'app',
      inlineTemplate: true,
      templateOptions: { compilerOptions },
    });
    return script.content;
  }

  it('with isCustomElement, <oauth-connect> is an element and @connected / @failed listen', async () => {
    const code = await compileSfc({ isCustomElement: (tag) => tag === 'oauth-connect' });
    assert.doesNotMatch(code, /resolveComponent/);
    assert.match(code, /_createElement(Block|VNode)\("oauth-connect", \{/);
    // Vue's runtime turns an onX prop on an element into addEventListener('x')
    assert.match(code, /\bonConnected: onConnected\b/);
    assert.match(code, /\bonFailed: onFailed\b/);
    for (const attribute of ['provider', 'client-id', 'redirect-uri', 'exchange-url']) {
      assert.match(code, new RegExp(`"?${attribute}"?: "`), attribute);
    }
  });

  it('without the option Vue would look for a component of that name (the assertion can fail)', async () => {
    const code = await compileSfc({});
    assert.match(code, /resolveComponent\("oauth-connect"\)/);
  });

  it("the README's snippet compiles the same way", async () => {
    const { compileTemplate } = await import('vue/compiler-sfc');
    const { code, errors } = compileTemplate({
      source: readmeSnippet('vue'),
      filename: 'README.vue',
      id: 'readme',
      compilerOptions: { isCustomElement: (tag) => tag === 'oauth-connect' },
    });
    assert.deepEqual(errors, []);
    assert.doesNotMatch(code, /resolveComponent/);
    assert.match(code, /\bonConnected: /);
    assert.match(code, /\bonFailed: /);
  });

  it("Vue's runtime turns those props into listeners for `connected` / `failed`", async () => {
    const { patchProp } = await import('vue');
    const listening = [];
    const element = { tagName: 'OAUTH-CONNECT', addEventListener: (type) => listening.push(type) };
    patchProp(element, 'onConnected', null, () => {});
    patchProp(element, 'onFailed', null, () => {});
    assert.deepEqual(listening, ['connected', 'failed']);
  });
});

describe('Svelte 5 example (examples/svelte/Connect.svelte)', () => {
  async function compileSvelte(source, filename) {
    const { compile } = await import('svelte/compiler');
    const { js, warnings } = compile(source, {
      filename,
      customElement: false,
      generate: 'client',
    });
    assert.deepEqual(
      warnings.map((w) => `${w.code}: ${w.message}`),
      [],
    );
    const element = /var (\w+) = \$\.first_child\(fragment\)/.exec(js.code)?.[1];
    assert.ok(element, js.code);
    assert.match(js.code, /\$\.from_html\(`<oauth-connect>/);
    assert.match(js.code, new RegExp(`\\$\\.event\\('connected', ${element}, `));
    assert.match(js.code, new RegExp(`\\$\\.event\\('failed', ${element}, `));
    for (const attribute of ['provider', 'client-id', 'redirect-uri', 'exchange-url']) {
      assert.match(
        js.code,
        new RegExp(`\\$\\.set_custom_element_data\\(${element}, '${attribute}', `),
        attribute,
      );
    }
  }

  it('compiles without warnings; onconnected / onfailed are listeners on the element', async () => {
    const filename = example('svelte/Connect.svelte');
    await compileSvelte(readFileSync(filename, 'utf8'), filename);
  });

  it("the README's snippet compiles the same way", async () => {
    const script = "<script>\n  let message = $state('');\n</script>\n\n";
    await compileSvelte(script + readmeSnippet('svelte') + '<p>{message}</p>\n', 'README.svelte');
  });
});

describe('Angular example (examples/angular/connect.component.ts)', () => {
  it('compiles AOT with strictTemplates: no diagnostics; (connected) / (failed) are DOM listeners', async () => {
    const { NgtscProgram } = await import('@angular/compiler-cli');
    const { default: ts } = await import('typescript');
    const file = example('angular/connect.component.ts');
    const options = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      strict: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitOverride: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      types: [],
      // Angular's options: the strict template checks new projects get, every extended
      // diagnostic an error
      strictTemplates: true,
      extendedDiagnostics: { defaultCategory: 'error' },
    };
    const emitted = new Map();
    const host = ts.createCompilerHost(options);
    host.writeFile = (name, text) => emitted.set(path.basename(name), text);
    const program = new NgtscProgram([file], options, host);
    await program.loadNgStructureAsync();
    const diagnostics = [
      ...program.getTsOptionDiagnostics(),
      ...program.getNgOptionDiagnostics(),
      ...program.getTsSyntacticDiagnostics(),
      ...program.getTsSemanticDiagnostics(),
      ...program.getNgStructuralDiagnostics(),
      ...program.getNgSemanticDiagnostics(),
    ];
    assert.deepEqual(
      diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
      [],
    );
    // the package's types, not an `any` from a missing module
    const resolved = program
      .getTsProgram()
      .getSourceFiles()
      .map((f) => path.relative(root, f.fileName));
    assert.ok(resolved.includes(path.join('dist', 'types', 'events.d.ts')), 'dist/types used');

    const { emitSkipped } = program.emit();
    assert.equal(emitSkipped, false);
    const code = emitted.get('connect.component.js');
    assert.ok(code, [...emitted.keys()].join());
    assert.match(code, /ɵɵ(dom)?ElementStart\(\d+, "oauth-connect"/);
    assert.match(
      code,
      /ɵɵ(dom)?Listener\("connected", function \w+\(\$event\) \{ return ctx\.onConnected\(\$event\); \}\)/,
    );
    assert.match(
      code,
      /\("failed", function \w+\(\$event\) \{ return ctx\.onFailed\(\$event\); \}\)/,
    );
  });
});
