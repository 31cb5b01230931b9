// The server half (`oauth-connect/server`, the published build in dist/) against local mock
// provider endpoints that check the exact request shape each provider documents.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createExchangeHandler, toNodeListener } from '../../dist/server.js';
import { mockProvider } from './support.mjs';

const ACCESS = 'at-SECRET-access-token';
const REFRESH = 'rt-SECRET-refresh-token';
const jwt = (claims) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

/** The partner backend: the handler mounted on node:http with toNodeListener. */
async function partner(options) {
  const server = http.createServer(toNodeListener(createExchangeHandler(options)));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    post: (body, headers = { 'content-type': 'application/json' }) =>
      fetch(`${base}/api/oauth`, {
        method: 'POST',
        headers,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, text: await r.text() })),
    get: () => fetch(`${base}/api/oauth`).then((r) => ({ status: r.status })),
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

const CB = 'https://app.example/oauth/callback';
const VERIFIER = 'v'.repeat(64);
const codeBody = (provider, extra = {}) => ({
  provider,
  code: 'the-code',
  state: 's'.repeat(43),
  codeVerifier: VERIFIER,
  redirectUri: CB,
  ...extra,
});
const tokens = {
  access_token: ACCESS,
  refresh_token: REFRESH,
  token_type: 'Bearer',
  expires_in: 3600,
};

let provider;
let reply;
before(async () => {
  provider = await mockProvider((entry) => reply(entry));
});
after(() => provider.close());

/** Runs `fn` against a partner backend built with `options`, then closes it. */
async function withPartner(options, fn) {
  const p = await partner(options);
  try {
    return await fn(p);
  } finally {
    await p.close();
  }
}

const form = (entry) => Object.fromEntries(new URLSearchParams(entry.raw));
const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('generic: RFC 6749 §4.1.3 token request', () => {
  for (const clientAuth of ['client_secret_post', 'client_secret_basic', 'none']) {
    it(`${clientAuth}: form-encoded, PKCE verifier passed on; no token reaches the browser`, async () => {
      provider.seen.length = 0;
      reply = () => [200, tokens];
      const stored = [];
      const config = {
        tokenUrl: `${provider.url}/token`,
        clientId: 'client-1',
        clientSecret: 'shh',
        clientAuth,
        redirectUris: [CB],
      };
      await withPartner(
        { providers: { generic: config }, storeCredentials: (a) => void stored.push(a) },
        async (p) => {
          const r = await p.post(codeBody('generic'));
          assert.equal(r.status, 200);
          assert.deepEqual(JSON.parse(r.text), { connected: true });
          assert.ok(!r.text.includes(ACCESS) && !r.text.includes(REFRESH));
        },
      );
      const [req] = provider.seen;
      assert.equal(req.url, '/token');
      // (oauth4webapi names the charset: application/x-www-form-urlencoded;charset=UTF-8)
      assert.match(req.headers['content-type'], /^application\/x-www-form-urlencoded(;|$)/);
      const f = form(req);
      assert.equal(f.grant_type, 'authorization_code');
      assert.equal(f.code, 'the-code');
      assert.equal(f.redirect_uri, CB);
      assert.equal(f.code_verifier, VERIFIER);
      if (clientAuth === 'client_secret_basic') {
        // RFC 6749 §2.3.1: id and secret form-encoded, then base64 (oauth4webapi encodes every
        // non-alphanumeric character: client-1 is sent as client%2D1)
        const [scheme, encoded] = req.headers.authorization.split(' ');
        assert.equal(scheme, 'Basic');
        const pair = Buffer.from(encoded, 'base64').toString().split(':').map(decodeURIComponent);
        assert.deepEqual(pair, ['client-1', 'shh']);
        assert.equal(f.client_secret, undefined);
        assert.equal(f.client_id, undefined);
      } else {
        assert.equal(req.headers.authorization, undefined);
        assert.equal(f.client_id, 'client-1');
        assert.equal(f.client_secret, clientAuth === 'client_secret_post' ? 'shh' : undefined);
      }
      assert.equal(stored.length, 1);
      assert.equal(stored[0].tokens.access_token, ACCESS);
      assert.equal(stored[0].body.code, undefined); // the spent code goes no further
    });
  }
});

describe('token responses as real providers send them', () => {
  it('expires_in as a string, refresh_token null, extra fields: accepted, kept for storeCredentials', async () => {
    reply = () => [
      200,
      {
        access_token: ACCESS,
        token_type: 'bearer',
        expires_in: '3600',
        refresh_token: null,
        ext: { a: 1 },
      },
    ];
    let args;
    await withPartner(
      {
        providers: {
          generic: { tokenUrl: `${provider.url}/token`, clientId: 'c', redirectUris: [CB] },
        },
        storeCredentials: (a) => void (args = a),
      },
      async (p) => assert.equal((await p.post(codeBody('generic'))).status, 200),
    );
    assert.equal(args.tokens.expires_in, '3600');
    assert.deepEqual(args.tokens.ext, { a: 1 });
  });
});

describe('hcss', () => {
  it('form-encoded with PKCE; the token’s CompanyId claim reaches storeCredentials', async () => {
    provider.seen.length = 0;
    reply = () => [200, { ...tokens, access_token: jwt({ CompanyId: 'company-7', sub: 'u' }) }];
    let args;
    await withPartner(
      {
        providers: {
          hcss: {
            clientId: 'hcss-c',
            clientSecret: 'hcss-s',
            redirectUris: [CB],
            tokenUrl: `${provider.url}/identity/connect/token`,
          },
        },
        storeCredentials: (a) => {
          args = a;
          return { connected: true, companyId: a.details.companyId };
        },
      },
      async (p) => {
        const r = await p.post(codeBody('hcss'));
        assert.equal(r.status, 200);
        assert.deepEqual(JSON.parse(r.text), { connected: true, companyId: 'company-7' });
      },
    );
    assert.equal(provider.seen[0].url, '/identity/connect/token');
    assert.equal(form(provider.seen[0]).code_verifier, VERIFIER);
    assert.equal(args.provider, 'hcss');
    assert.equal(args.details.companyId, 'company-7');
  });
});

describe('healthtap', () => {
  it('basic auth APP_ID:APP_SECRET and the JSON body its docs show', async () => {
    provider.seen.length = 0;
    reply = () => [200, tokens];
    await withPartner(
      {
        providers: {
          healthtap: {
            clientId: 'ht-app-id',
            clientSecret: 'ht-app-secret',
            redirectUris: [CB],
            tokenUrl: `${provider.url}/oauth/token`,
          },
        },
      },
      async (p) =>
        assert.equal(
          (await p.post(codeBody('healthtap', { codeVerifier: undefined }))).status,
          200,
        ),
    );
    const [req] = provider.seen;
    assert.equal(req.headers.authorization, basic('ht-app-id', 'ht-app-secret'));
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(req.raw), {
      grant_type: 'authorization_code',
      code: 'the-code',
      client_id: 'ht-app-id',
      redirect_uri: CB,
    });
  });
});

describe('hint', () => {
  it('POST /api/oauth/tokens with the partner key; integration, practice and status kept', async () => {
    provider.seen.length = 0;
    reply = () => [
      200,
      {
        id: 'int-j21vwWTG0EiP',
        status: 'connected',
        token_type: 'bearer',
        refresh_token: null,
        expires_in: null,
        practice: { id: 'pra-TeDmP0gqGJLZ', name: "Joe's Practice" },
        access_token: ACCESS,
      },
    ];
    let args;
    await withPartner(
      {
        providers: { hint: { apiKey: 'partner-key', baseUrl: provider.url } },
        storeCredentials: (a) => {
          args = a;
          return { connected: true, practice: a.details.practice.name };
        },
      },
      async (p) => {
        const r = await p.post({ provider: 'hint', code: 'hint-code' });
        assert.equal(r.status, 200);
        assert.deepEqual(JSON.parse(r.text), { connected: true, practice: "Joe's Practice" });
        assert.ok(!r.text.includes(ACCESS));
      },
    );
    const [req] = provider.seen;
    assert.equal(req.url, '/api/oauth/tokens');
    assert.equal(req.headers.authorization, 'Bearer partner-key');
    assert.deepEqual(JSON.parse(req.raw), { code: 'hint-code' });
    assert.deepEqual(args.details, {
      integrationId: 'int-j21vwWTG0EiP',
      status: 'connected',
      practice: { id: 'pra-TeDmP0gqGJLZ', name: "Joe's Practice" },
    });
  });
});

describe('b.well', () => {
  const bwell = (userToken = () => 'user-bwell-token') => ({
    providers: { bwell: { graphqlUrl: `${provider.url}/v1/graphql`, userToken } },
  });

  it('url-endpoint: getOauthUrl(connectionId) with the user’s b.well token', async () => {
    provider.seen.length = 0;
    reply = () => [
      200,
      { data: { getOauthUrl: { redirectUrl: 'https://bwell.example/oauth?x=1' } } },
    ];
    await withPartner(bwell(), async (p) => {
      const r = await p.post({ provider: 'bwell', connectionId: 'conn-1' });
      assert.equal(r.status, 200);
      assert.deepEqual(JSON.parse(r.text), { url: 'https://bwell.example/oauth?x=1' });
    });
    const [req] = provider.seen;
    assert.equal(req.url, '/v1/graphql');
    assert.equal(req.headers.authorization, 'Bearer user-bwell-token');
    const gql = JSON.parse(req.raw);
    assert.match(gql.query, /getOauthUrl\(connectionId: \$connectionId\)/);
    assert.deepEqual(gql.variables, { connectionId: 'conn-1' });
  });

  it('a GraphQL error → 400 with its message; no session → 401, nothing sent', async () => {
    reply = () => [200, { data: null, errors: [{ message: 'Connection not found' }] }];
    await withPartner(bwell(), async (p) => {
      const r = await p.post({ provider: 'bwell', connectionId: 'nope' });
      assert.equal(r.status, 400);
      assert.equal(JSON.parse(r.text).error_description, 'Connection not found');
    });
    provider.seen.length = 0;
    await withPartner(
      bwell(() => {
        throw new Error('signed out');
      }),
      async (p) =>
        assert.equal((await p.post({ provider: 'bwell', connectionId: 'c' })).status, 401),
    );
    assert.equal(provider.seen.length, 0);
  });

  it('the status exchange reaches storeCredentials with the connection id', async () => {
    let args;
    await withPartner({ ...bwell(), storeCredentials: (a) => void (args = a) }, async (p) => {
      const r = await p.post({ provider: 'bwell', status: 'success', connectionId: 'conn-2' });
      assert.deepEqual(JSON.parse(r.text), { connected: true });
    });
    assert.equal(args.tokens, undefined);
    assert.deepEqual(args.details, { status: 'success', connectionId: 'conn-2' });
  });
});

describe('refusals and failures', () => {
  const generic = (extra = {}) => ({
    providers: {
      generic: {
        tokenUrl: `${provider.url}/token`,
        clientId: 'c',
        clientSecret: 's',
        redirectUris: [CB],
      },
    },
    timeout: 400,
    ...extra,
  });

  it('a redirectUri that is not registered → 400, and the provider is never called', async () => {
    provider.seen.length = 0;
    await withPartner(generic(), async (p) => {
      for (const redirectUri of ['https://evil.example/cb', `${CB}?x=1`, undefined]) {
        const r = await p.post(codeBody('generic', { redirectUri }));
        assert.equal(r.status, 400);
        assert.equal(JSON.parse(r.text).error, 'invalid_request');
      }
    });
    assert.equal(provider.seen.length, 0);
  });

  it('bad requests: not JSON, wrong content type, GET, unknown fields, huge, unconfigured → 4xx JSON', async () => {
    provider.seen.length = 0;
    await withPartner(generic(), async (p) => {
      const cases = [
        [await p.post('{not json'), 400],
        [await p.post(codeBody('generic'), { 'content-type': 'text/plain' }), 415],
        [await p.get(), 405],
        [await p.post({ ...codeBody('generic'), access_token: 'x' }), 400],
        [await p.post({ provider: 'generic', code: 'x'.repeat(5000), redirectUri: CB }), 400],
        [
          await p.post({ provider: 'generic', code: 'c', redirectUri: CB, codeVerifier: 'short' }),
          400,
        ],
        [await p.post(codeBody('hcss')), 400],
        [await p.post({ provider: 'nope', code: 'c' }), 400],
        [await p.post('x'.repeat(70000)), 413],
      ];
      for (const [r, status] of cases) {
        assert.equal(r.status, status, r.text);
        if (r.text) assert.ok(JSON.parse(r.text).error);
      }
    });
    assert.equal(provider.seen.length, 0);
  });

  const failures = [
    [
      'refuses (400 invalid_grant)',
      () => [400, { error: 'invalid_grant', error_description: 'Code already used' }],
      400,
      'invalid_grant',
    ],
    ['is down (500)', () => [500, { error: 'oops' }], 502, 'server_error'],
    ['answers invalid JSON', () => [200, '<html>'], 502, 'server_error'],
    ['answers no access_token', () => [200, { token_type: 'Bearer' }], 502, 'server_error'],
    ['hangs', () => [0], 504, 'temporarily_unavailable'],
  ];
  for (const [name, answer, status, error] of failures) {
    it(`a provider that ${name} → ${status} ${error}, nothing stored`, async () => {
      reply = answer;
      let stored = 0;
      await withPartner(generic({ storeCredentials: () => void stored++ }), async (p) => {
        const started = Date.now();
        const r = await p.post(codeBody('generic'));
        assert.equal(r.status, status);
        const body = JSON.parse(r.text);
        assert.equal(body.error, error);
        assert.equal(typeof body.error_description, 'string');
        assert.ok(Date.now() - started < 3000);
        if (error === 'invalid_grant') assert.equal(body.error_description, 'Code already used');
      });
      assert.equal(stored, 0);
    });
  }

  for (const [name, answer] of [
    [
      'invalid_client',
      () => [400, { error: 'invalid_client', error_description: 'secret: hunter2' }],
    ],
    ['a 401', () => [401, { error: 'nope' }]],
  ]) {
    it(`the provider refusing this server's client credentials (${name}) → 502, its words not passed on`, async () => {
      reply = answer;
      await withPartner(generic(), async (p) => {
        const r = await p.post(codeBody('generic'));
        assert.equal(r.status, 502);
        assert.ok(!r.text.includes('hunter2'));
      });
    });
  }

  it('a configuration mistake fails at start-up, not at a user’s first connection', () => {
    assert.throws(
      () =>
        createExchangeHandler({
          providers: {
            generic: {
              tokenUrl: 'https://x/t',
              clientId: 'c',
              clientAuth: 'client_secret_basic',
              redirectUris: [],
            },
          },
        }),
      /clientSecret/,
    );
    assert.throws(() => createExchangeHandler({ providers: { hint: {} } }), /apiKey/);
    const generic = {
      tokenUrl: 'https://x/t',
      clientId: 'c',
      clientSecret: 's',
      redirectUris: [CB],
    };
    // a misspelt method would send the token request with no client authentication at all
    assert.throws(
      () =>
        createExchangeHandler({
          providers: { generic: { ...generic, clientAuth: 'client_secret_Post' } },
        }),
      /clientAuth must be one of/,
    );
    assert.throws(
      () =>
        createExchangeHandler({
          providers: { generic: { ...generic, tokenUrl: 'id.example.com/token' } },
        }),
      /generic\.tokenUrl must be an absolute/,
    );
    assert.throws(
      () => createExchangeHandler({ providers: { hint: { apiKey: 'k', baseUrl: 'api.hint' } } }),
      /hint\.baseUrl/,
    );
    // a timeout from process.env (a string), NaN or 0 would make every provider call fail
    for (const timeout of ['5000', Number.NaN, 0, -1]) {
      assert.throws(
        () => createExchangeHandler({ providers: { generic }, timeout }),
        /timeout must be a number of ms ≥ 1/,
        String(timeout),
      );
    }
  });

  it('a timeout longer than a timer can wait is clamped: provider calls still work', async () => {
    await withPartner(
      {
        providers: {
          generic: { tokenUrl: `${provider.url}/token`, clientId: 'c', redirectUris: [CB] },
        },
        timeout: 2 ** 31,
      },
      async (partner) => {
        reply = () => [200, { access_token: ACCESS, token_type: 'Bearer' }];
        const r = await partner.post({ provider: 'generic', code: 'C', redirectUri: CB });
        assert.equal(r.status, 200);
      },
    );
  });

  it('a provider that is unreachable → 502', async () => {
    await withPartner(
      {
        providers: {
          generic: { tokenUrl: 'http://127.0.0.1:1/token', clientId: 'c', redirectUris: [CB] },
        },
      },
      async (p) => assert.equal((await p.post(codeBody('generic'))).status, 502),
    );
  });

  it('storeCredentials throwing → 500 with a generic message (no detail leaks)', async () => {
    reply = () => [200, tokens];
    await withPartner(
      generic({
        storeCredentials: () => {
          throw new Error(`db down ${ACCESS}`);
        },
      }),
      async (p) => {
        const r = await p.post(codeBody('generic'));
        assert.equal(r.status, 500);
        assert.ok(!r.text.includes(ACCESS) && !r.text.includes('db down'));
      },
    );
  });
});

describe('mounting', () => {
  it('fetch-style runtimes call the handler with a Request', async () => {
    reply = () => [200, tokens];
    const handler = createExchangeHandler({
      providers: {
        generic: { tokenUrl: `${provider.url}/token`, clientId: 'c', redirectUris: [CB] },
      },
    });
    const response = await handler(
      new Request('https://app.example/api/oauth', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(codeBody('generic')),
      }),
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await response.json(), { connected: true });
  });

  it('toNodeListener: set-cookie headers kept apart; an oversized body is cut off with 413', async () => {
    const handler = async () => {
      const headers = new Headers({ 'content-type': 'application/json' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response('{}', { headers });
    };
    const server = http.createServer(toNodeListener(handler));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${server.address().port}`;
      const r = await fetch(base, { method: 'POST', body: '{}' });
      assert.deepEqual(r.headers.getSetCookie(), ['a=1', 'b=2']);
      const big = await fetch(base, { method: 'POST', body: 'x'.repeat(200_000) }).catch(
        () => undefined,
      );
      if (big) assert.equal(big.status, 413);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('behind Express-style middleware that already parsed the body (req.body)', async () => {
    reply = () => [200, tokens];
    const listener = toNodeListener(
      createExchangeHandler({
        providers: {
          generic: { tokenUrl: `${provider.url}/token`, clientId: 'c', redirectUris: [CB] },
        },
      }),
    );
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        req.body = JSON.parse(raw); // what express.json() does
        listener(req, res);
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const r = await fetch(`http://127.0.0.1:${server.address().port}/x`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(codeBody('generic')),
      });
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { connected: true });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('the server entry', () => {
  it('imports nothing but zod, oauth4webapi and its own chunks: no Lit, no browser code', async () => {
    const { readFile } = await import('node:fs/promises');
    const seen = new Set();
    const visit = async (file) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = await readFile(new URL(file, new URL('../../dist/', import.meta.url)), 'utf8');
      // (the page the server-completed flow serves closes itself: that one string is HTML)
      const code = source.replace('"window.close()"', '');
      assert.ok(!/\b(window|document|customElements|sessionStorage)\.[A-Za-z]/.test(code), file);
      for (const [, spec] of source.matchAll(/^import .* from "([^"]+)";$/gm)) {
        if (spec.startsWith('./')) await visit(spec.slice(2));
        // its dependencies: zod, and oauth4webapi (inlined by the build unless kept external)
        else assert.ok(['zod', 'oauth4webapi'].includes(spec), `${file} imports ${spec}`);
      }
    };
    await visit('server.js');
    assert.ok(seen.size > 1);
  });
});
