import { expect } from '@open-wc/testing';
import { completeCallback } from '../../src/callback.js';
import { connect, startFlow, type ConnectOptions } from '../../src/index.js';
import {
  atProvider,
  backendLog,
  callbackUrl,
  exchangeUrl,
  origins,
  outcome,
  plainCallbackUrl,
  reportCallbackUrl,
  reports,
  sleep,
  uid,
  useFetchLog,
  useOpenSpy,
  userReturns,
  until,
} from '../support/helpers.js';

const spy = useOpenSpy();
const requests = useFetchLog();

async function hcss(scenario: string, extra: Partial<ConnectOptions> = {}) {
  const { provider } = await origins();
  return {
    provider: 'hcss',
    authorizeUrl: `${provider}/authorize.html?scenario=${scenario}`,
    clientId: 'hcss-client',
    scope: 'openid timecards:read',
    redirectUri: callbackUrl(),
    ...extra,
  } satisfies ConnectOptions;
}

describe('popup flow: code providers', () => {
  it('HCSS: approve → one exchange with code, state, verifier, redirect URI → connected', async () => {
    const t = uid();
    const result = await connect(await hcss('approve', { exchangeUrl: exchangeUrl(t) }));
    expect(result.provider).to.equal('hcss');
    expect(result.result['companyId']).to.equal('company-42');
    const log = await backendLog(t);
    expect(log).to.have.length(1);
    const body = log[0]!.body;
    expect(log[0]!.contentType).to.contain('application/json');
    expect(body['provider']).to.equal('hcss');
    expect(String(body['code'])).to.match(/^code-pkce-/); // the provider saw a code_challenge
    expect(body['state']).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(body['codeVerifier']).to.match(/^[A-Za-z0-9_-]{43,128}$/);
    expect(body['redirectUri']).to.equal(callbackUrl());
    expect(spy.calls).to.have.length(1);
    await until(() => spy.last?.closed === true, 3000, 'popup closed');
  });

  it('HealthTap: approve without PKCE; connected carries the raw completion without exchange-url', async () => {
    const { provider } = await origins();
    const result = await connect({
      provider: 'healthtap',
      authorizeUrl: `${provider}/authorize.html?scenario=approve`,
      clientId: 'app',
      redirectUri: callbackUrl(),
    });
    expect(String(result.result['code'])).to.match(/^code-plain-/);
    expect(result.result['state']).to.be.a('string');
    expect(result.result).not.to.have.property('codeVerifier');
    expect(result.result['redirectUri']).to.equal(callbackUrl());
  });

  it('HealthTap: error=access_denied → cancelled, nothing exchanged', async () => {
    const { provider } = await origins();
    const t = uid();
    const r = await outcome(
      connect({
        provider: 'healthtap',
        authorizeUrl: `${provider}/authorize.html?scenario=deny`,
        clientId: 'app',
        redirectUri: callbackUrl(),
        exchangeUrl: exchangeUrl(t),
      }),
    );
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.error.status).to.equal('cancelled');
    expect(await backendLog(t)).to.have.length(0);
  });

  it('provider error with description → error, carried through unchanged', async () => {
    let error: { status: string; error: string; errorDescription: string } | undefined;
    await connect(await hcss('error')).catch((e: typeof error) => (error = e));
    expect(error?.status).to.equal('error');
    expect(error?.error).to.equal('server_error');
    expect(error?.errorDescription).to.equal('Provider exploded');
  });

  for (const scenario of ['tamper', 'nostate']) {
    it(`${scenario === 'tamper' ? 'tampered' : 'missing'} state → unauthorized, no exchange request`, async () => {
      const t = uid();
      const r = await outcome(connect(await hcss(scenario, { exchangeUrl: exchangeUrl(t) })));
      expect(r.ok).to.equal(false);
      if (!r.ok) expect(r.error.status).to.equal('unauthorized');
      await requests.settled(); // every request this page sent has reached the backend
      expect(requests.to('/api/exchange')).to.deep.equal([]);
      expect(await backendLog(t)).to.have.length(0);
    });
  }

  it('answer in the fragment is read too', async () => {
    const result = await connect(await hcss('fragment'));
    expect(result.result['code']).to.be.a('string');
  });

  it('a callback page with no script: popup mode falls back to reading the URL', async () => {
    const result = await connect(await hcss('approve', { redirectUri: plainCallbackUrl() }));
    expect(result.result['code']).to.be.a('string');
  });

  it('polling mode (webviews): reads the URL of a script-less callback page', async () => {
    const t = uid();
    const result = await connect(
      await hcss('approve', {
        mode: 'polling',
        pollInterval: 100,
        redirectUri: plainCallbackUrl(),
        exchangeUrl: exchangeUrl(t),
      }),
    );
    expect(result.result['connected']).to.equal(true);
    expect(await backendLog(t)).to.have.length(1);
  });

  it('url-endpoint: the backend owns the URL and its state', async () => {
    const { provider } = await origins();
    const t = uid();
    const target = `${provider}/authorize.html?scenario=approve&redirect_uri=${encodeURIComponent(callbackUrl())}&state=server-made-state`;
    const result = await connect({
      provider: 'generic',
      urlEndpoint: `/api/url?t=${t}&to=${encodeURIComponent(target)}`,
      redirectUri: callbackUrl(),
    });
    expect(result.result['state']).to.equal('server-made-state');
    const log = await backendLog(t);
    expect(log[0]?.body).to.deep.equal({ provider: 'generic' });
  });
});

describe('popup flow: b.well', () => {
  const bwell = async (
    query: string,
    extra: Partial<ConnectOptions> = {},
  ): Promise<ConnectOptions> => {
    const { provider } = await origins();
    return {
      provider: 'bwell',
      connectionId: 'conn-1',
      allowedOrigins: provider,
      resolveUrl: async () => `${provider}/bwell.html?${query}`,
      ...extra,
    };
  };

  it('status-success from the allowed origin → connected; exchange gets provider/status/connectionId', async () => {
    const t = uid();
    const result = await connect(
      await bwell(`post=status-success&target=${encodeURIComponent(location.origin)}`, {
        exchangeUrl: exchangeUrl(t),
      }),
    );
    expect(result.provider).to.equal('bwell');
    const log = await backendLog(t);
    expect(log.map((l) => l.body)).to.deep.equal([
      { provider: 'bwell', status: 'success', connectionId: 'conn-1' },
    ]);
  });

  it('status-success without exchange-url → result { status: "success" }', async () => {
    const result = await connect(
      await bwell(`post=status-success&target=${encodeURIComponent(location.origin)}`),
    );
    expect(result.result).to.deep.equal({ status: 'success' });
  });

  it('status-failure → failed error, worded without claiming the provider erred (it may be a cancel)', async () => {
    const r = await outcome(
      connect(await bwell(`post=status-failure&target=${encodeURIComponent(location.origin)}`)),
    );
    expect(r.ok ? 'connected' : r.error.status).to.equal('error');
    if (!r.ok) {
      expect(r.error.message).to.equal('The connection was not completed (cancelled, or refused).');
      expect(r.error.message).not.to.match(/reported an error/);
    }
  });

  for (const code of ['success', 'error', 'cancelled', 'expired', 'unauthorized']) {
    for (const page of ['callback', 'plain']) {
      it(`custom redirect URL with status_code=${code} (${page} page) → ${code === 'success' ? 'connected' : code}`, async () => {
        const redirect = page === 'plain' ? plainCallbackUrl() : callbackUrl();
        const r = await outcome(
          connect(
            await bwell(`status_code=${code}&redirect_uri=${encodeURIComponent(redirect)}`, {
              mode: 'polling',
              pollInterval: 100,
              allowedOrigins: undefined,
              redirectUri: redirect,
            }),
          ),
        );
        expect(r.ok ? 'success' : r.error.status).to.equal(code);
      });
    }
  }
});

describe('popup flow: messages that must not count', () => {
  it('a valid-looking message from a stranger origin (even from our popup) is ignored', async () => {
    const { stranger, provider } = await origins();
    const data = encodeURIComponent(JSON.stringify('status-success'));
    const r = await outcome(
      connect({
        provider: 'bwell',
        allowedOrigins: provider,
        timeout: 1500,
        resolveUrl: async () =>
          `${stranger}/messenger.html?data=${data}&target=${encodeURIComponent(location.origin)}`,
      }),
    );
    expect(r.ok ? 'connected' : r.error.status).to.equal('timeout');
  });

  it('a message from an allowed origin but another window (an iframe) is ignored', async () => {
    const { provider } = await origins();
    const frame = document.createElement('iframe');
    const data = encodeURIComponent(JSON.stringify('status-success'));
    frame.src = `${provider}/messenger.html?to=parent&data=${data}&target=${encodeURIComponent(location.origin)}`;
    const pending = outcome(
      connect({
        provider: 'bwell',
        allowedOrigins: provider,
        timeout: 1800,
        resolveUrl: async () => `${provider}/bwell.html?delay=100000`,
      }),
    );
    document.body.append(frame);
    try {
      const r = await pending;
      expect(r.ok ? 'connected' : r.error.status).to.equal('timeout');
    } finally {
      frame.remove();
    }
  });

  const malformed: [string, unknown][] = [
    ['a number', 42],
    ['an unknown string', 'status-maybe'],
    [
      'an envelope with a non-string code',
      { type: 'oauth-connect:callback', id: 'x', params: { code: 1 } },
    ],
    ['an object without a result', { hello: 'world' }],
    ['an oversized code', { code: 'x'.repeat(5000) }],
  ];
  for (const [name, payload] of malformed) {
    it(`a malformed payload (${name}) from our popup on an allowed origin is ignored`, async () => {
      const { provider } = await origins();
      const data = encodeURIComponent(JSON.stringify(payload));
      const r = await outcome(
        connect({
          provider: 'generic',
          authorizeUrl: `${provider}/messenger.html?client_id=c&data=${data}&target=${encodeURIComponent(location.origin)}`,
          allowedOrigins: provider,
          timeout: 1500,
        }),
      );
      expect(r.ok ? 'connected' : r.error.status).to.equal('timeout');
    });
  }

  it('the bare-params message from our popup still needs our state', async () => {
    const { provider } = await origins();
    const data = encodeURIComponent(JSON.stringify({ code: 'C', state: 'forged' }));
    const r = await outcome(
      connect({
        provider: 'generic',
        authorizeUrl: `${provider}/messenger.html?client_id=c&data=${data}&target=${encodeURIComponent(location.origin)}`,
        allowedOrigins: provider,
        timeout: 3000,
      }),
    );
    expect(r.ok ? 'connected' : r.error.status).to.equal('unauthorized');
  });
});

describe('popup flow: ends and failures', () => {
  it('timeout → timeout, and the popup is closed', async () => {
    const r = await outcome(connect(await hcss('stay', { timeout: 700 })));
    expect(r.ok ? 'connected' : r.error.status).to.equal('timeout');
    await until(() => spy.last?.closed === true, 2000, 'popup closed');
  });

  it('an AbortSignal cancels the flow and closes the popup', async () => {
    const abort = new AbortController();
    const pending = outcome(connect(await hcss('stay'), abort.signal));
    await atProvider(spy.last!); // the flow is waiting
    abort.abort();
    const r = await pending;
    expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
    await until(() => spy.last?.closed === true, 2000, 'popup closed');
  });

  for (const [respond, pattern] of [
    ['500', /Token endpoint unavailable/],
    ['text', /JSON object/],
    ['array', /JSON object/],
  ] as const) {
    it(`backend ${respond} → exchange_failed (the code is sent once)`, async () => {
      const t = uid();
      const r = await outcome(
        connect(await hcss('approve', { exchangeUrl: exchangeUrl(t, respond) })),
      );
      expect(r.ok).to.equal(false);
      if (!r.ok) {
        expect(r.error.status).to.equal('exchange_failed');
        expect(r.error.message).to.match(pattern);
      }
      expect(await backendLog(t)).to.have.length(1);
    });
  }

  it('backend unreachable → exchange_failed', async () => {
    // port 1 on loopback: connection refused, a network error for fetch
    const r = await outcome(
      connect(await hcss('approve', { exchangeUrl: 'http://127.0.0.1:1/x' })),
    );
    expect(r.ok).to.equal(false);
    if (!r.ok) {
      expect(r.error.status).to.equal('exchange_failed');
      expect(r.error.message).to.match(/could not be reached/);
    }
  });

  const unsafe: [string, Partial<ConnectOptions>][] = [
    ['an http authorize-url', { authorizeUrl: 'http://evil.example/authorize' }],
    ['a javascript: authorize-url', { authorizeUrl: 'javascript:alert(1)' }],
    ['an http redirect-uri', { redirectUri: 'http://evil.example/cb' }],
    ['a wildcard allowed origin', { allowedOrigins: '*' }],
  ];
  for (const [name, extra] of unsafe) {
    it(`${name} → invalid_config, and no popup opens`, async () => {
      const r = await outcome(connect({ ...(await hcss('approve')), ...extra }));
      expect(r.ok ? 'connected' : r.error.status).to.equal('invalid_config');
      expect(spy.calls).to.have.length(0);
    });
  }

  it('an unsafe URL from url-endpoint → invalid_config, and the blank popup is closed again', async () => {
    const t = uid();
    const r = await outcome(
      connect({
        provider: 'generic',
        urlEndpoint: `/api/url?t=${t}&to=${encodeURIComponent('http://evil.example/authorize')}`,
      }),
    );
    expect(r.ok ? 'connected' : r.error.status).to.equal('invalid_config');
    expect(spy.calls).to.have.length(1);
    await until(() => spy.last?.closed === true, 2000, 'blank popup closed');
  });

  it('a url-endpoint answering without a URL → invalid_config, popup closed', async () => {
    const t = uid();
    const r = await outcome(
      connect({ provider: 'generic', urlEndpoint: `/api/url?t=${t}&respond=bad` }),
    );
    expect(r.ok ? 'connected' : r.error.status).to.equal('invalid_config');
    await until(() => spy.last?.closed === true, 2000, 'blank popup closed');
  });

  it('a resolveUrl that throws → error, popup closed', async () => {
    const r = await outcome(
      connect({
        provider: 'generic',
        resolveUrl: () => Promise.reject(new Error('GraphQL down')),
      }),
    );
    expect(r.ok ? 'connected' : r.error.status).to.equal('error');
    if (!r.ok) expect(r.error.message).to.equal('GraphQL down');
    await until(() => spy.last?.closed === true, 2000, 'blank popup closed');
  });
});

describe('popup flow: COOP-severed popup', () => {
  it('a provider with Cross-Origin-Opener-Policy severs the handle: still connects, never cancelled', async () => {
    const { provider } = await origins();
    const t = uid();
    const phases: string[] = [];
    const handle = startFlow(
      {
        provider: 'hcss',
        authorizeUrl: `${provider}/coop/authorize.html?scenario=approve&delay=1500`,
        clientId: 'c',
        redirectUri: callbackUrl(),
        exchangeUrl: exchangeUrl(t),
      },
      { onPhase: (p) => phases.push(p) },
    );
    await until(() => phases.includes('waiting'), 3000, 'sent to the provider');
    userReturns(); // the user looks at this page: the offer shows once the handle reads closed
    const r = await outcome(handle.result);
    expect(r.ok).to.equal(true);
    expect(phases).to.include('severed');
    expect(await backendLog(t)).to.have.length(1);
  });
});

describe('popup flow: the callback page under COOP', () => {
  it('has no opener, delivers over the BroadcastChannel, and is acknowledged (so it closes itself)', async () => {
    const { provider } = await origins();
    const reports: { answer: string; via: string[]; opener: boolean; state: string }[] = [];
    const channel = new BroadcastChannel('test-callback-report');
    channel.onmessage = (e) => e.data.phase === 'answered' && reports.push(e.data);
    try {
      const result = await connect({
        provider: 'hcss',
        authorizeUrl: `${provider}/coop/authorize.html?scenario=approve&delay=1500`,
        clientId: 'c',
        redirectUri: `${location.origin}/test/fixtures/callback-report.html`,
      });
      expect(result.result['code']).to.be.a('string');
      // this flow's callback page (not a late one of an earlier test): by its state
      const ours = () => reports.find((r) => r.state === result.result['state']);
      await until(() => ours() !== undefined, 3000, 'the callback page report');
      expect(ours()).to.include({ answer: 'acknowledged', opener: false });
      expect(ours()!.via).to.deep.equal(['channel']); // no storage write: BroadcastChannel exists
    } finally {
      channel.close();
    }
  });
});

describe('popup flow: the sign-in window after the answer', () => {
  // The popup and this page share a renderer thread: the window is released (acknowledged, closed)
  // when the exchange has answered, or after 250 ms, whichever comes first — never held by a slow
  // backend. (Under COOP, where only the acknowledgement can close it: closing.test.ts.)
  it('a hanging backend: the window is still closed within a moment, the flow waits on', async () => {
    const t = uid();
    const seen = reports('test-callback-report');
    try {
      const options = await hcss('approve', {
        redirectUri: reportCallbackUrl(),
        exchangeUrl: `${exchangeUrl(t)}&delay=3000`,
      });
      let settled = false;
      const flow = outcome(connect(options)).finally(() => (settled = true));
      const delivered = await seen.next({ phase: 'delivered' });
      expect(delivered['via']).to.deep.equal(['opener']); // the channel follows a task later
      const deliveredAt = Date.now();
      await until(() => spy.last?.closed === true, 1500, 'the window closed');
      expect(Date.now() - deliveredAt).to.be.lessThan(1000);
      expect(settled).to.equal(false); // closed while the exchange still runs
      const r = await flow;
      expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
      expect(await backendLog(t)).to.have.length(1);
    } finally {
      seen.close();
    }
  });

  it('the page leaving while the exchange runs closes the window at once', async () => {
    const t = uid();
    const seen = reports('test-callback-report');
    try {
      const flow = outcome(
        connect(
          await hcss('approve', {
            redirectUri: reportCallbackUrl(),
            exchangeUrl: `${exchangeUrl(t)}&delay=2000`,
          }),
        ),
      );
      await seen.next({ phase: 'delivered' });
      window.dispatchEvent(new PageTransitionEvent('pagehide'));
      await until(() => spy.last?.closed === true, 150, 'the window closed on pagehide');
      await flow;
    } finally {
      seen.close();
    }
  });

  it('after the answer, a handle reading closed is no cancel: no offer, Reopen opens nothing', async () => {
    const t = uid();
    const seen = reports('test-callback-report');
    try {
      const phases: string[] = [];
      const handle = startFlow(
        await hcss('approve', {
          redirectUri: reportCallbackUrl(),
          exchangeUrl: `${exchangeUrl(t)}&delay=1500`,
        }),
        { onPhase: (p) => phases.push(p) },
      );
      await seen.next({ phase: 'delivered' });
      await until(() => phases.includes('exchanging'), 2000, 'the exchange');
      spy.last!.close();
      expect(handle.reopen()).to.equal(false);
      // the outcome comes after the whole exchange (1.5 s): every close check made while it ran
      // (every 100 ms) is behind it
      const r = await outcome(handle.result);
      expect(phases).not.to.include('severed');
      expect(handle.reopen()).to.equal(false);
      expect(spy.calls).to.have.length(1);
      expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
    } finally {
      seen.close();
    }
  });

  it('a fast backend: the window is closed by the time connect() resolves', async () => {
    const t = uid();
    await connect(await hcss('approve', { exchangeUrl: exchangeUrl(t) }));
    expect(spy.last?.closed).to.equal(true);
    expect(await backendLog(t)).to.have.length(1);
  });

  it('a failed exchange still releases the window', async () => {
    const t = uid();
    const r = await outcome(connect(await hcss('approve', { exchangeUrl: exchangeUrl(t, '400') })));
    expect(r.ok ? 'connected' : r.error.status).to.equal('exchange_failed');
    expect(spy.last?.closed).to.equal(true);
  });
});

describe('the callback page and its opener', () => {
  // The callback page posts to its opener and opens its channel a task later: an acknowledgement
  // that comes straight back over postMessage (from its opener only) still closes it.
  async function openCallback() {
    const seen = reports('test-callback-report');
    const answers: MessageEvent[] = [];
    const onMessage = (e: MessageEvent) => {
      if (e.data?.type === 'oauth-connect:callback') answers.push(e);
    };
    window.addEventListener('message', onMessage);
    const state = `s-${uid()}`;
    window.open(`${reportCallbackUrl()}?code=c-${uid()}&state=${state}`, '_blank', 'popup');
    await until(() => answers.length > 0, 5000, 'the callback message');
    window.removeEventListener('message', onMessage);
    return { seen, state, message: answers[0]! };
  }

  it('an acknowledgement posted straight back by the opener closes it', async () => {
    const { seen, state, message } = await openCallback();
    try {
      const popup = message.source as Window;
      popup.postMessage({ type: 'oauth-connect:ack', id: message.data.id }, location.origin);
      expect((await seen.next({ phase: 'answered', state }))['answer']).to.equal('acknowledged');
      await until(() => popup.closed, 2000, 'the callback page closed itself');
    } finally {
      seen.close();
    }
  });

  it('an acknowledgement of another message id is not its own: it stays open', async () => {
    const { seen, state, message } = await openCallback();
    try {
      const popup = message.source as Window;
      popup.postMessage({ type: 'oauth-connect:ack', id: 'another-id' }, location.origin);
      // kept: an acknowledgement taken would close the page; whatever answer follows would
      // close it too, and nothing the page reports tells which message it took
      await sleep(500);
      expect(seen.matching({ phase: 'answered', state })).to.have.length(0);
      expect(popup.closed).to.equal(false);
    } finally {
      seen.close();
    }
  });
});

describe('completeCallback: the target origin', () => {
  it('"*" throws a TypeError, and nothing is posted (a cross-origin opener would get the code)', () => {
    const posted: unknown[] = [];
    const original = Object.getOwnPropertyDescriptor(window, 'opener');
    const opener = {
      closed: false,
      get location(): Location {
        throw new DOMException('Blocked a frame', 'SecurityError'); // another origin's page
      },
      postMessage: (...args: unknown[]) => posted.push(args),
    };
    Object.defineProperty(window, 'opener', { value: opener, configurable: true });
    try {
      expect(() =>
        completeCallback({
          url: 'https://app.example/cb?code=SECRET&state=S',
          targetOrigin: '*',
          closeOnAck: false,
          resumeRedirect: false,
        }),
      ).to.throw(TypeError, 'targetOrigin');
      // the same opener with an explicit origin gets it, so the check above is not vacuous
      completeCallback({
        url: 'https://app.example/cb?code=SECRET&state=S',
        targetOrigin: 'https://app.example',
        closeOnAck: false,
        resumeRedirect: false,
      }).dispose();
    } finally {
      if (original) Object.defineProperty(window, 'opener', original);
      else delete (window as { opener?: unknown }).opener;
    }
    expect(posted).to.have.length(1);
    expect((posted[0] as unknown[])[1]).to.equal('https://app.example');
  });
});

describe('popup flow: teardown', () => {
  it('a long-lived AbortSignal given to connect() keeps no listener of finished flows', async () => {
    const abort = new AbortController();
    const signal = abort.signal;
    let listeners = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    }) as typeof signal.removeEventListener;
    await outcome(connect(await hcss('approve'), signal));
    await outcome(connect(await hcss('deny'), signal));
    expect(listeners).to.equal(0);
  });
});
