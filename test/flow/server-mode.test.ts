// mode="server": the server half keeps state and PKCE, takes the provider's redirect at a route of
// its own, redeems the code there; the element learns the outcome by long-polling. Real popups,
// a mock provider that checks PKCE and the client secret (test/support/mock-oauth.mjs), and the
// published createServerFlow (dist/server.js) mounted at /api/server-flow.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import {
  startFlow,
  type ConnectOptions,
  type FlowPhase,
  type OAuthConnect,
} from '../../src/index.js';
import '../../src/index.js';
import { origins, outcome, uid, until, useOpenSpy, userReturns } from '../support/helpers.js';

const spy = useOpenSpy();
// the signed-in user, as the server flow's session(request) reads it (test/support/servers.mjs)
before(() => (document.cookie = 'test-user=alice; path=/; SameSite=Lax'));
after(() => (document.cookie = 'test-user=; path=/; max-age=0'));

/** Options for a server-completed flow; `tag` marks its codes in the provider's token log. */
const server = (variant = 'plain', tag = uid()): ConnectOptions => ({
  provider: 'hcss',
  mode: 'server',
  urlEndpoint: `/api/server-flow?v=${variant}&tag=${tag}`,
});

/** The token requests the provider saw for codes of flows tagged `tag`. */
async function tokenLog(tag: string): Promise<{ form: Record<string, string> }[]> {
  const { provider } = await origins();
  const log = (await (await fetch(`${provider}/oauth/log`)).json()) as {
    form: Record<string, string>;
    tag: string;
  }[];
  return log.filter((entry) => entry.tag === tag);
}

describe('mode="server": completion through the server half', () => {
  it('the element connects with what storeCredentials answered; no code or token reaches the page', async () => {
    const tag = uid();
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hcss"
        mode="server"
        url-endpoint=${`/api/server-flow?tag=${tag}`}
      ></oauth-connect>`,
    );
    const connected = oneEvent(el, 'connected');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!.click();
    const event = await connected;
    expect(event.detail.result).to.deep.equal({ connected: true, companyId: 'company-99' });
    const sent = await tokenLog(tag);
    expect(sent).to.have.length(1);
    expect(sent[0]!.form['client_secret']).to.equal('server-secret'); // the secret stays server-side
    expect(sent[0]!.form['code_verifier']).to.match(/^[A-Za-z0-9_-]{64}$/);
    expect(location.href).not.to.contain('code=');
    await until(() => spy.last?.closed === true, 3000, 'the popup closed');
  });

  it('a popup severed by COOP still connects (the outcome never needs a browser channel)', async () => {
    const phases: FlowPhase[] = [];
    const flow = startFlow(server('coop'), { onPhase: (p) => phases.push(p) });
    await until(() => phases.includes('waiting'), 3000, 'sent to the provider');
    userReturns();
    const r = await outcome(flow.result);
    expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
    if (r.ok) expect(r.value.result['companyId']).to.equal('company-99');
    expect(phases).to.include('severed');
  });

  it('a denial at the provider → failed cancelled', async () => {
    const r = await outcome(startFlow(server('deny')).result);
    expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
  });

  it('Cancel while the sign-in runs: the server refuses the late redirect and redeems nothing', async () => {
    const tag = uid();
    const abort = new AbortController();
    const phases: FlowPhase[] = [];
    const flow = startFlow(server('slow', tag), {
      signal: abort.signal,
      onPhase: (p) => phases.push(p),
    });
    await until(() => phases.includes('waiting'), 3000, 'sent to the provider');
    userReturns();
    await until(() => phases.includes('severed'), 5000, 'severed');
    abort.abort();
    expect(
      ((await outcome(flow.result)) as { ok: false; error: { status: string } }).error.status,
    ).to.equal('cancelled');
    // the provider page (severed: its window cannot be closed) sends the user on to the server
    // route 3 s in, with the code it gave out for this flow: once the route has answered that
    // redirect, any redemption of the code is behind it
    const { provider } = await origins();
    const answer = async () => {
      const issued = (await (await fetch(`${provider}/oauth/issued`)).json()) as {
        code: string;
        tag: string;
      }[];
      const code = issued.find((i) => i.tag === tag)?.code;
      const answered = (await (await fetch('/api/server-flow-log')).json()) as {
        code: string;
        status: number;
      }[];
      return answered.find((a) => code !== undefined && a.code === code);
    };
    await until(async () => (await answer()) !== undefined, 8000, 'the late redirect answered');
    expect((await answer())!.status, 'the late redirect refused').to.be.at.least(400);
    expect(await tokenLog(tag)).to.have.length(0);
  });

  it('a forged or replayed redirect to the server route is refused (a 400 page), nothing redeemed', async () => {
    const tag = uid();
    for (const query of ['code=X&state=forged', 'code=X', 'error=access_denied']) {
      const r = await fetch(`/api/server-flow?v=plain&tag=${tag}&${query}`);
      expect(r.status).to.equal(400);
      expect(await r.text()).to.contain('no longer valid');
    }
    // a real flow's state, used twice
    const start = await (
      await fetch(`/api/server-flow?tag=${tag}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'hcss' }),
      })
    ).json();
    const state = new URL(start.url).searchParams.get('state');
    const first = await fetch(`/api/server-flow?error=access_denied&state=${state}`);
    expect(first.status).to.equal(200);
    const again = await fetch(`/api/server-flow?code=X&state=${state}`);
    expect(again.status).to.equal(400);
    expect(await tokenLog(tag)).to.have.length(0);
  });

  it('invalid: mode="server" without url-endpoint, or for a provider with no code → invalid_config', async () => {
    for (const options of [
      { provider: 'hcss', mode: 'server' },
      { provider: 'bwell', mode: 'server', urlEndpoint: '/api/server-flow' },
      { provider: 'hint', mode: 'server', urlEndpoint: '/api/server-flow' },
    ] as ConnectOptions[]) {
      const r = await outcome(startFlow(options).result);
      expect(r.ok ? 'connected' : r.error.status).to.equal('invalid_config');
    }
    expect(spy.calls).to.have.length(0);
  });
});

describe('an element in a cross-site iframe (storage partitioned), its popup severed by COOP', () => {
  async function embedded(options: ConnectOptions, timeout: number) {
    const { stranger } = await origins();
    const messages: Record<string, unknown>[] = [];
    const onMessage = (e: MessageEvent) => {
      if (e.origin === stranger) messages.push(e.data as Record<string, unknown>);
    };
    addEventListener('message', onMessage);
    const app = `${location.origin}/test/fixtures/server-app.html?parent=${encodeURIComponent(stranger)}&options=${encodeURIComponent(JSON.stringify({ ...options, timeout }))}`;
    window.open(
      `${stranger}/embed.html?report=${encodeURIComponent(location.origin)}&src=${encodeURIComponent(app)}`,
    );
    try {
      await until(() => messages.some((m) => m['type'] === 'started'), 8000, 'the embedded app');
      expect(messages.find((m) => m['type'] === 'started')!['partitioned']).to.equal(true);
      await until(
        () => messages.some((m) => m['type'] === 'connected' || m['type'] === 'failed'),
        timeout + 5000,
        'the outcome',
      );
      return messages.find((m) => m['type'] === 'connected' || m['type'] === 'failed')!;
    } finally {
      removeEventListener('message', onMessage);
    }
  }

  it('mode="server" connects', async function () {
    this.timeout(20000);
    // cookies are partitioned in the frame: it names its user with a header of the partner's own
    const done = await embedded(
      { ...server('coop'), exchangeHeaders: { 'x-test-user': 'alice' } },
      10000,
    );
    expect(done['type'], JSON.stringify(done)).to.equal('connected');
    expect(done['result']).to.deep.equal({ connected: true, companyId: 'company-99' });
  });

  it('(for comparison) popup mode cannot hear its popup there: no client channel reaches the frame', async function () {
    this.timeout(20000);
    const { provider } = await origins();
    const done = await embedded(
      {
        provider: 'hcss',
        authorizeUrl: `${provider}/coop/authorize.html?scenario=approve&delay=1500`,
        clientId: 'c',
        redirectUri: `${location.origin}/test/fixtures/callback.html`,
      },
      5000,
    );
    expect(done['type']).to.equal('failed');
    expect(done['status']).to.equal('timeout');
  });
});

describe('mode="server" and the user', () => {
  it('signed out: the flow does not start (401 → error), the blank popup is closed', async () => {
    document.cookie = 'test-user=; path=/; max-age=0';
    try {
      const r = await outcome(startFlow(server()).result);
      expect(r.ok ? 'connected' : r.error.status).to.equal('error');
      await until(() => spy.last?.closed === true, 2000, 'blank popup closed');
    } finally {
      document.cookie = 'test-user=alice; path=/; SameSite=Lax';
    }
  });
});

describe('createExchangeHandler behind the element’s exchange-url', () => {
  it('popup mode: the element’s code is redeemed with the client secret and PKCE; no token reaches the page', async () => {
    const { provider } = await origins();
    const tag = uid();
    const r = await outcome(
      startFlow({
        provider: 'generic',
        authorizeUrl: `${provider}/oauth/authorize?tag=${tag}`,
        clientId: 'server-client',
        redirectUri: `${location.origin}/test/fixtures/callback.html`,
        exchangeUrl: '/api/exchange-handler',
      }).result,
    );
    expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
    if (r.ok) expect(r.value.result).to.deep.equal({ connected: true, stored: true });
    const sent = await tokenLog(tag);
    expect(sent).to.have.length(1);
    expect(sent[0]!.form['client_secret']).to.equal('server-secret');
    expect(sent[0]!.form['code_verifier']).to.match(/^[A-Za-z0-9_-]{64}$/);
  });
});
