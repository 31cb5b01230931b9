// Setup mistakes fail at once (CONTRACT "Setup mistakes fail at once"): a code flow with no client
// id anywhere is invalid_config naming client-id before anything opens; a redirect-uri on another
// origin than the page, which cannot be known to be wrong before the flow, is warned about as the
// flow starts and named by its timeout.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { connect, type ConnectOptions, type FailedEvent } from '../../src/index.js';
import '../../src/index.js';
import { callbackUrl, exchangeUrl, origins, outcome, uid, useOpenSpy } from '../support/helpers.js';

const spy = useOpenSpy();

/** console.warn's oauth-connect lines while `run` runs. */
async function warnings(run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (line.startsWith('oauth-connect:')) seen.push(line);
    else original(...args);
  };
  try {
    await run();
  } finally {
    console.warn = original;
  }
  return seen;
}

describe('when no client id is given anywhere', () => {
  it('the element fails invalid_config naming client-id, and nothing opens', async () => {
    const el = await fixture(
      html`<oauth-connect
        provider="generic"
        authorize-url="https://id.example/authorize?scope=openid"
        redirect-uri=${callbackUrl()}
      ></oauth-connect>`,
    );
    const failed = oneEvent(el, 'failed') as Promise<FailedEvent>;
    el.shadowRoot!.querySelector('button')!.click();
    const { detail } = await failed;
    expect(detail.status).to.equal('invalid_config');
    expect(detail.message).to.contain('client-id');
    expect(spy.calls).to.have.length(0);
  });

  it('a misspelt client-id attribute (clientid=) is no client id: invalid_config, nothing opens', async () => {
    const el = await fixture(
      html`<oauth-connect
        provider="hcss"
        clientid="my-client"
        redirect-uri=${callbackUrl()}
      ></oauth-connect>`,
    );
    const failed = oneEvent(el, 'failed') as Promise<FailedEvent>;
    el.shadowRoot!.querySelector('button')!.click();
    const { detail } = await failed;
    expect(detail.status).to.equal('invalid_config');
    expect(detail.message).to.equal('client-id is required.');
    expect(spy.calls).to.have.length(0);
  });
});

describe('when the redirect-uri is on another origin than the page', () => {
  async function crossOrigin(t: string): Promise<ConnectOptions> {
    const { provider, stranger } = await origins();
    return {
      provider: 'hcss',
      authorizeUrl: `${provider}/authorize.html?scenario=approve`,
      clientId: 'c',
      // a callback page on another origin that was not told to post here: nothing answers
      redirectUri: `${stranger}/callback.html`,
      exchangeUrl: exchangeUrl(t),
      timeout: 1500,
    };
  }

  it('a console warning at start names the targetOrigin to give completeCallback; the timeout names the cause', async () => {
    const options = await crossOrigin(uid());
    const { stranger } = await origins();
    let result: Awaited<ReturnType<typeof outcome>> | undefined;
    const warned = await warnings(async () => {
      const flow = connect(options);
      await Promise.resolve();
      result = await outcome(flow);
    });
    expect(warned).to.have.length(1);
    expect(warned[0]).to.contain(`redirect-uri is on ${stranger}, this page on ${location.origin}`);
    expect(warned[0]).to.contain(
      `unless its callback page calls completeCallback({ targetOrigin: '${location.origin}' })`,
    );
    expect(result?.ok).to.equal(false);
    if (result && !result.ok) {
      expect(result.error.status).to.equal('timeout');
      expect(result.error.message).to.match(
        /^No answer within 1500 ms\. Possible cause: redirect-uri is on /,
      );
      expect(result.error.message).to.contain(`targetOrigin: '${location.origin}'`);
    }
  });

  it('a redirect-uri on the page origin: no warning, and a timeout says no more than it knows', async () => {
    const { provider } = await origins();
    const warned = await warnings(async () => {
      const r = await outcome(
        connect({
          provider: 'hcss',
          // the provider never sends the user back: the flow times out with nothing to suspect
          authorizeUrl: `${provider}/authorize.html?scenario=stay`,
          clientId: 'c',
          redirectUri: callbackUrl(),
          timeout: 1200,
        }),
      );
      expect(r.ok).to.equal(false);
      if (!r.ok) expect(r.error.message).to.equal('No answer within 1200 ms.');
    });
    expect(warned).to.deep.equal([]);
  });
});
