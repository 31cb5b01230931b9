// Words on screen (CONTRACT): every string the element shows or announces comes from one table, in
// the language of the element's `lang`, else the nearest ancestor's, else the document's; English
// and Spanish ship; `messages` overrides any string; `provider-name` names the provider.
import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { OAuthConnect } from '../src/index.js';
import { en } from '../src/words/en.js';
import { es } from '../src/words/es.js';
import { openFrameApp, uid, until } from './support/helpers.js';

const button = (el: OAuthConnect) =>
  el.shadowRoot!.querySelector<HTMLSlotElement>('[part="button"] slot')!.textContent!.trim();
const part = (el: OAuthConnect, name: string) =>
  el.shadowRoot!.querySelector(`[part="${name}"]`)?.textContent?.trim() ?? null;

/** Clicks with a mode that does not exist: an invalid_config failure, nothing opens. */
async function failOnce(el: OAuthConnect): Promise<void> {
  el.mode = 'nonsense' as never;
  await el.connect().catch(() => undefined);
  await el.updateComplete;
}

afterEach(() => document.documentElement.removeAttribute('lang'));

describe('when no language is set, or one the element does not speak', () => {
  it('English: the preset names the provider; a generic provider is "your account"', async () => {
    const hcss = await fixture<OAuthConnect>(html`<oauth-connect provider="hcss"></oauth-connect>`);
    expect(button(hcss)).to.equal('Connect HCSS');
    const generic = await fixture<OAuthConnect>(html`<oauth-connect></oauth-connect>`);
    expect(button(generic)).to.equal('Connect your account');
    const fr = await fixture<OAuthConnect>(
      html`<oauth-connect lang="fr" provider="hcss"></oauth-connect>`,
    );
    expect(button(fr)).to.equal('Connect HCSS');
  });

  it('provider-name names the provider everywhere the words do', async () => {
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect provider-name="Acme Health"></oauth-connect>`,
    );
    expect(button(el)).to.equal('Connect Acme Health');
    await failOnce(el);
    expect(part(el, 'status')).to.match(/^Could not connect to Acme Health: /);
  });

  it('a failure shows its status sentence (and, a setup mistake, what is wrong); the status region says it', async () => {
    const el = await fixture<OAuthConnect>(html`<oauth-connect provider="hcss"></oauth-connect>`);
    await failOnce(el);
    const error = part(el, 'error')!;
    expect(error.startsWith(en.invalidConfig)).to.equal(true);
    expect(error).to.contain('mode must be one of');
    expect(part(el, 'status')).to.equal(`Could not connect to HCSS: ${error}`);
  });
});

describe('when the language is Spanish', () => {
  it('the element’s own lang: Spanish once its table is loaded, es-MX too', async () => {
    for (const lang of ['es', 'es-MX', 'ES-us']) {
      const el = await fixture<OAuthConnect>(
        html`<oauth-connect lang=${lang} provider="hcss"></oauth-connect>`,
      );
      await until(() => button(el) === 'Conectar HCSS', 3000, `Spanish for ${lang}`);
      const generic = await fixture<OAuthConnect>(
        html`<oauth-connect lang=${lang}></oauth-connect>`,
      );
      expect(button(generic)).to.equal('Conectar su cuenta');
    }
  });

  it('an ancestor’s lang, or the document’s; a change of it re-renders the element', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="es"><oauth-connect provider="healthtap"></oauth-connect></div>`,
    );
    const el = wrapper.querySelector<OAuthConnect>('oauth-connect')!;
    await until(() => button(el) === 'Conectar HealthTap', 3000, 'the ancestor’s Spanish');
    wrapper.setAttribute('lang', 'en');
    await until(() => button(el) === 'Connect HealthTap', 3000, 'English again');
    wrapper.removeAttribute('lang');
    document.documentElement.lang = 'es';
    await until(() => button(el) === 'Conectar HealthTap', 3000, 'the document’s Spanish');
  });

  it('a failure in Spanish: the sentence, the status region, no English word of ours', async () => {
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect lang="es" provider="hcss"></oauth-connect>`,
    );
    await until(() => button(el) === 'Conectar HCSS', 3000, 'Spanish');
    await failOnce(el);
    const error = part(el, 'error')!;
    expect(error.startsWith(es.invalidConfig)).to.equal(true);
    expect(part(el, 'status')).to.equal(`No se pudo conectar con HCSS: ${error}`);
    await expect(el).to.be.accessible();
  });

  it('every English key has its Spanish, and each keeps the placeholders of the English', () => {
    expect(Object.keys(es).sort()).to.deep.equal(Object.keys(en).sort());
    const holes = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(holes(es[key]), key).to.deep.equal(holes(en[key]));
      expect(es[key], key).not.to.equal(en[key]);
    }
  });
});

describe('when the element sits in a shadow root', () => {
  it('a lang set on it, or on an ancestor inside that shadow tree, re-renders it', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<section lang="en"><oauth-connect provider="hcss"></oauth-connect></section>';
    const el = root.querySelector<OAuthConnect>('oauth-connect')!;
    await el.updateComplete;
    expect(button(el)).to.equal('Connect HCSS');
    root.querySelector('section')!.setAttribute('lang', 'es');
    await until(() => button(el) === 'Conectar HCSS', 3000, 'Spanish from the shadow ancestor');
    el.setAttribute('lang', 'en');
    await until(() => button(el) === 'Connect HCSS', 3000, 'English from its own lang');
  });
});

describe('when the Spanish words cannot load', () => {
  it('English, one warning, and no render loop', async () => {
    const frame = openFrameApp(`/test/fixtures/split-app.html?chunk=${uid()}&words=fail`);
    try {
      await frame.loaded();
      const win = frame.frame.contentWindow as Window & typeof globalThis;
      const warned: unknown[] = [];
      win.console.warn = (...args: unknown[]) => warned.push(args[0]);
      const el = win.document.createElement('oauth-connect') as OAuthConnect;
      el.lang = 'es';
      let updates = 0;
      const update = el['update'].bind(el);
      (el as unknown as { update(c: Map<PropertyKey, unknown>): void }).update = (changed) => {
        updates++;
        update(changed);
      };
      win.document.body.append(el);
      await until(() => warned.length > 0, 5000, 'the warning');
      // a render loop would have run many updates by the time two more tasks have passed
      await new Promise((resolve) => setTimeout(resolve));
      await new Promise((resolve) => setTimeout(resolve));
      await el.updateComplete;
      expect(String(warned[0])).to.contain('"es" words did not load');
      expect(button(el)).to.equal('Connect your account');
      expect(updates).to.be.below(4);
    } finally {
      frame.dispose();
    }
  });
});

describe('when the partner gives messages', () => {
  it('any string is replaced, with its placeholders, in any language; others stay', async () => {
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hcss"
        .messages=${{ connect: 'Link {provider} now' }}
      ></oauth-connect>`,
    );
    expect(button(el)).to.equal('Link HCSS now');
    el.lang = 'es';
    await failOnce(el);
    await until(() => part(el, 'error')?.startsWith(es.invalidConfig) === true, 3000, 'Spanish');
    expect(button(el)).to.equal('Link HCSS now'); // the override holds in Spanish too
    el.messages = { connect: 7 as never };
    await el.updateComplete;
    expect(button(el)).to.equal('Conectar HCSS'); // not a string: the language's own
  });
});

describe('when the layout meets longer words or another direction', () => {
  it('Spanish in a narrow, right-to-left page: nothing leaves the element’s box', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div dir="rtl" lang="es" style="width: 220px">
        <oauth-connect
          provider="healthtap"
          provider-name="HealthTap Servicios Médicos"
        ></oauth-connect>
      </div>`,
    );
    const el = wrapper.querySelector<OAuthConnect>('oauth-connect')!;
    await until(() => button(el).startsWith('Conectar'), 3000, 'Spanish');
    const box = wrapper.getBoundingClientRect();
    const b = el.shadowRoot!.querySelector('[part="button"]')!.getBoundingClientRect();
    expect(b.left).to.be.at.least(box.left - 0.5);
    expect(b.right).to.be.at.most(box.right + 0.5);
    // right-to-left: the button starts at the right edge
    expect(Math.abs(b.right - box.right)).to.be.below(1);
    await expect(el).to.be.accessible();
  });
});
