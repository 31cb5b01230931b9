// Several generic providers on one page (issue 17.3): `provider="generic:acme"` runs the generic
// preset under its own name — sent as `provider` to the backend, and in the events — so one
// server half (createExchangeHandler with 'generic:acme', 'generic:globex') tells them apart.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import { connect, type ConnectedEvent, type OAuthConnect } from '../../src/index.js';
import { callbackUrl, exchanges, exchangeUrl, origins, outcome, uid } from '../support/helpers.js';

describe('when a page holds named generic providers', () => {
  it('each connects under its own name: the exchange body and the event say generic:acme', async () => {
    const t = uid();
    const { provider } = await origins();
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="generic:acme"
        provider-name="Acme"
        authorize-url=${`${provider}/authorize.html?scenario=approve`}
        client-id="acme-client"
        redirect-uri=${callbackUrl()}
        exchange-url=${exchangeUrl(t)}
      ></oauth-connect>`,
    );
    expect(el.shadowRoot!.querySelector('[part="button"] slot')!.textContent!.trim()).to.equal(
      'Connect Acme',
    );
    const connected = oneEvent(el, 'connected') as Promise<ConnectedEvent>;
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!.click();
    expect((await connected).detail.provider).to.equal('generic:acme');
    const [sent] = await exchanges(t);
    expect(sent!.body['provider']).to.equal('generic:acme');
    expect(sent!.body['codeVerifier']).to.be.a('string'); // the generic preset: PKCE
  });

  it('a name out of the rule (capitals, empty, too long) is invalid_config naming provider', async () => {
    for (const name of ['generic:Acme', 'generic:', `generic:${'a'.repeat(65)}`, 'acme']) {
      const r = await outcome(
        connect({ provider: name as never, authorizeUrl: 'https://id.example/a?client_id=c' }),
      );
      expect(r.ok ? 'connected' : r.error.status, name).to.equal('invalid_config');
      if (!r.ok) expect(r.error.message).to.match(/^provider must be one of/);
    }
  });
});
