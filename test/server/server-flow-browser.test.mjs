// The server-completed flow bound to the browser that started it, over real HTTP: the handler
// behind toNodeListener on a loopback port, browsers with cookie jars that keep SameSite (a
// Strict cookie never rides the provider's cross-site redirect back), a mock token endpoint.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createServerFlow, toNodeListener } from '../../dist/server.js';
import { browser, genericAt, mockProvider } from './support.mjs';

let provider;
let app; // { url, close }
let handler = () => Promise.resolve(new Response('not yet', { status: 503 }));
/** The Cookie header of every request the app got, by method. */
const received = [];

before(async () => {
  provider = await mockProvider(() => [200, { access_token: 'at-SECRET', token_type: 'Bearer' }]);
  const server = http.createServer(
    toNodeListener((request) => {
      received.push({ method: request.method, cookie: request.headers.get('cookie') ?? '' });
      return handler(request);
    }),
  );
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  app = {
    url: `http://127.0.0.1:${server.address().port}/oauth/server`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
});
after(async () => {
  await app.close();
  await provider.close();
});

/** The partner's handler at app.url; its session cookie is `sid`. */
function mount(extra = {}) {
  handler = createServerFlow({
    providers: {
      generic: genericAt(provider, { clientSecret: 's' }),
    },
    redirectUri: app.url,
    pollWindow: 300,
    session: (request) => /(?:^|; )sid=(\w+)/.exec(request.headers.get('cookie') ?? '')?.[1],
    storeCredentials: () => ({ connected: true }),
    ...extra,
  });
}

/** A browser signed in to the partner as `user`, with a session cookie of that SameSite. */
function signedIn(user, sameSite = 'Strict') {
  const b = browser();
  b.setCookie(`sid=${user}; Path=/; HttpOnly; SameSite=${sameSite}`);
  return b;
}

/** The element's start, in browser `b`: the flow id and the state the provider will send back. */
async function start(b) {
  const r = await b.post(app.url, { provider: 'generic' });
  assert.equal(r.status, 200, r.text);
  return { flow: r.body.flow, state: new URL(r.body.url).searchParams.get('state') };
}

/** The provider's redirect back, a cross-site top-level navigation in browser `b`. */
const back = (b, query) => b.navigate(`${app.url}?${new URLSearchParams(query)}`);
const poll = async (b, flow) => (await b.post(app.url, { flow })).body;
const flowCookies = (b) => [...b.jar.keys()].filter((name) => name.startsWith('oauth-connect-'));

beforeEach(() => {
  provider.seen.length = 0;
  received.length = 0;
  mount();
});

describe('server flow: bound to the browser by its flow cookie, whatever SameSite the session has', () => {
  it('a user whose session cookie is SameSite=Strict connects: the cross-site redirect carries the flow cookie, not the session', async () => {
    const alice = signedIn('alice', 'Strict');
    const { flow, state } = await start(alice);
    const page = await back(alice, { code: 'C1', state });
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, /Connected/);
    // what a browser sends on the provider's redirect: no Strict session cookie, the flow cookie
    const redirect = received.find((r) => r.method === 'GET');
    assert.doesNotMatch(redirect.cookie, /sid=/);
    assert.match(redirect.cookie, /^oauth-connect-[\w-]{12}=[\w-]{43}$/);
    assert.deepEqual(await poll(alice, flow), { status: 'connected', result: { connected: true } });
    assert.equal(provider.seen.length, 1);
    assert.deepEqual(flowCookies(alice), [], 'the redirect cleared the flow cookie');
  });

  it('the flow cookie: HttpOnly, SameSite=Lax, Max-Age the timeout; on http loopback a plain name on the handler path, without Secure', async () => {
    mount({ timeout: 90_500 });
    const r = await signedIn('alice').post(app.url, { provider: 'generic' });
    const [line, ...more] = r.headers.getSetCookie();
    assert.equal(more.length, 0);
    assert.match(
      line,
      /^oauth-connect-[\w-]{12}=[\w-]{43}; Path=\/oauth\/server; Max-Age=91; HttpOnly; SameSite=Lax$/,
    );
  });

  it('on https the flow cookie is __Host- (Secure, Path=/, no Domain), so no sibling subdomain can plant one', async () => {
    const https = createServerFlow({
      providers: {
        generic: genericAt(provider),
      },
      redirectUri: 'https://app.example/oauth/server',
      session: () => 'alice',
    });
    const r = await https(
      new Request('https://app.example/oauth/server', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'generic' }),
      }),
    );
    assert.equal(r.status, 200);
    assert.match(
      r.headers.getSetCookie()[0],
      /^__Host-oauth-connect-[\w-]{12}=[\w-]{43}; Path=\/; Max-Age=300; HttpOnly; SameSite=Lax; Secure$/,
    );
  });

  it('a provider URL sent to someone else is refused: their browser holds no flow cookie — nothing redeemed, the flow fails unauthorized', async () => {
    const mallory = signedIn('mallory', 'Lax');
    const theirs = await start(mallory);
    // the victim opens mallory's sign-in link, signs in at the provider, comes back
    const victim = signedIn('victim', 'Lax');
    const page = await back(victim, { code: 'VICTIMS-CODE', state: theirs.state });
    assert.equal(page.status, 403);
    assert.match(page.text, /another browser/);
    assert.equal(provider.seen.length, 0, 'nothing was redeemed');
    const told = await poll(mallory, theirs.flow);
    assert.equal(told.status, 'failed');
    assert.equal(told.failure, 'unauthorized');
  });

  it('bound to the browser, not the user: a browser without the flow cookie is refused even when signed in as the flow’s user (a session planted by a login CSRF)', async () => {
    const errors = [];
    mount({ onError: (error) => errors.push(error) });
    const mallory = signedIn('mallory', 'Lax');
    const theirs = await start(mallory);
    const planted = signedIn('mallory', 'Lax'); // the victim's browser, with mallory's session
    assert.equal((await back(planted, { code: 'VICTIMS-CODE', state: theirs.state })).status, 403);
    assert.equal(provider.seen.length, 0);
    // the same user back without the cookie is also what an element in a cross-site iframe
    // looks like: the failure names that likely cause, and the fix
    const told = await poll(mallory, theirs.flow);
    assert.equal(told.failure, 'unauthorized');
    assert.match(told.message, /cross-site iframe.*redirectBySession/);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /redirectBySession/);
  });

  it('another browser’s flow cookie does not open this flow: another flow’s, or this one’s name with another value', async () => {
    const alice = signedIn('alice');
    const mine = await start(alice);
    const [name] = flowCookies(alice);
    const mallory = signedIn('mallory');
    await start(mallory); // mallory's own flow cookie
    const [theirs] = flowCookies(mallory);
    assert.notEqual(theirs, name);
    assert.equal((await back(mallory, { code: 'C', state: mine.state })).status, 403);
    const forged = await start(alice);
    const guess = signedIn('mallory');
    guess.setCookie(`${flowCookies(alice).at(-1)}=${'A'.repeat(43)}; Path=/oauth/server`);
    assert.equal((await back(guess, { code: 'C', state: forged.state })).status, 403);
    assert.equal(provider.seen.length, 0);
  });

  it('a flow’s result is read, and abandoned, only by the session user who started it', async () => {
    const alice = signedIn('alice');
    const { flow, state } = await start(alice);
    assert.equal((await back(alice, { code: 'C', state })).status, 200);
    const mallory = signedIn('mallory');
    const read = await mallory.post(app.url, { flow });
    assert.equal(read.status, 403);
    assert.ok(!read.text.includes('connected'), read.text);
    assert.equal((await mallory.post(app.url, { flow, abandon: true })).status, 403);
    assert.equal((await poll(alice, flow)).status, 'connected');
    const nobody = browser();
    assert.equal((await nobody.post(app.url, { flow })).status, 401);
  });

  it('two flows at once in one browser (two elements) each connect: one flow cookie each', async () => {
    const alice = signedIn('alice');
    const [one, two] = await Promise.all([start(alice), start(alice)]);
    assert.equal(flowCookies(alice).length, 2);
    assert.equal((await back(alice, { code: 'C2', state: two.state })).status, 200);
    assert.equal((await back(alice, { code: 'C1', state: one.state })).status, 200);
    assert.equal((await poll(alice, one.flow)).status, 'connected');
    assert.equal((await poll(alice, two.flow)).status, 'connected');
    assert.deepEqual(flowCookies(alice), []);
  });

  it('Cancel (abandon) clears the flow cookie; its late redirect is refused', async () => {
    const alice = signedIn('alice');
    const { flow, state } = await start(alice);
    const [name] = flowCookies(alice);
    const abandoned = await alice.post(app.url, { flow, abandon: true });
    assert.equal(abandoned.body.status, 'abandoned');
    assert.match(abandoned.headers.getSetCookie()[0], new RegExp(`^${name}=; .*Max-Age=0`));
    assert.deepEqual(flowCookies(alice), []);
    assert.equal((await back(alice, { code: 'C', state })).status, 400);
    assert.equal(provider.seen.length, 0);
  });

  it('redirectBySession (an element in a cross-site iframe: its flow cookie is third-party): a redirect without the cookie is taken when session() there is the flow’s user, and only then', async () => {
    // decided per flow at its start: here, for the starts that name the user with a header
    mount({
      redirectBySession: (request) => request.headers.has('x-framed'),
      session: (request) =>
        request.headers.get('x-user') ??
        /(?:^|; )sid=(\w+)/.exec(request.headers.get('cookie') ?? '')?.[1],
    });
    const frameStart = (user) =>
      fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user': user, 'x-framed': '1' },
        body: JSON.stringify({ provider: 'generic' }),
      }).then(async (r) => {
        const body = await r.json();
        return { flow: body.flow, state: new URL(body.url).searchParams.get('state') };
      });
    const framed = await frameStart('alice');
    const alice = signedIn('alice', 'Lax'); // the first-party session cookie rides the redirect
    assert.equal((await back(alice, { code: 'C', state: framed.state })).status, 200);
    const other = await frameStart('alice');
    assert.equal(
      (await back(signedIn('mallory', 'Lax'), { code: 'C', state: other.state })).status,
      403,
    );
    // a flow started without the header keeps to its cookie
    const top = await start(signedIn('alice', 'Lax'));
    assert.equal(
      (await back(signedIn('alice', 'Lax'), { code: 'C', state: top.state })).status,
      403,
    );
    assert.equal(provider.seen.length, 1);
  });

  it('redirectBySession must be a boolean or a function', () => {
    assert.throws(() => mount({ redirectBySession: 'yes' }), /redirectBySession must be/);
  });
});
