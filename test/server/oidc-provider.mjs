// A real, certified OpenID provider for the server tests: `oidc-provider` (node-oidc-provider) on a
// free loopback port, with its own login and consent finished at once for one user (the tests are
// about the relying party, not about a sign-in page). Refresh tokens are issued and rotated on every
// use, revocation and introspection are on, PKCE is required.
//
// startOidcProvider() runs it in this process; startOidcProvider({ clockOffsetSeconds }) runs it in
// a child process whose clock is that far off (an id_token issued two hours ago is expired for us:
// no test waits for a token to expire). `node oidc-provider.mjs serve <offset>` is that child.
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export const REDIRECT = 'https://app.example/oauth/callback';
export const SERVER_REDIRECT = 'https://app.example/oauth/server';
export const CLIENTS = {
  basic: { id: 'partner-basic', secret: 'partner-basic-secret', auth: 'client_secret_basic' },
  post: { id: 'partner-post', secret: 'partner-post-secret', auth: 'client_secret_post' },
};
export const ACCOUNT = 'user-1';

/** Starts the provider; resolves with `{ issuer, close() }`. */
export async function startOidcProvider({ clockOffsetSeconds = 0 } = {}) {
  if (clockOffsetSeconds) return startChild(clockOffsetSeconds);
  return startHere();
}

async function startHere() {
  // oidc-provider warns that Node 20 is not its LTS of choice and that its in-memory store is for
  // development: both true, and noise here
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return await configure((await import('oidc-provider')).default);
  } finally {
    console.warn = warn;
  }
}

async function configure(Provider) {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: Object.values(CLIENTS).map((c) => ({
      client_id: c.id,
      client_secret: c.secret,
      token_endpoint_auth_method: c.auth,
      redirect_uris: [REDIRECT, SERVER_REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    })),
    jwks: {
      keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' }],
    },
    cookies: { keys: ['oauth-connect-test'] },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86400,
      Session: 3600,
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    if (!req.url.startsWith('/interaction/')) return callback(req, res);
    try {
      // the user signs in and consents to what was asked, at once
      const details = await provider.interactionDetails(req, res);
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: ACCOUNT, clientId: details.params.client_id });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: ACCOUNT }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  return {
    issuer,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The same provider in a child process whose clock is `offset` seconds off. */
function startChild(offset) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve', String(offset)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`oidc-provider child exited (${code})`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      child.removeAllListeners('exit');
      resolve({
        issuer: JSON.parse(line).issuer,
        close: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** A PKCE pair (RFC 7636, S256). */
export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The authorization request the element would make (the browser's side of the exchange). */
export function authorizeUrl(issuer, { client = CLIENTS.basic, state, challenge, scope, nonce }) {
  const url = new URL(`${issuer}/auth`);
  const params = {
    client_id: client.id,
    response_type: 'code',
    scope: scope ?? 'openid offline_access',
    redirect_uri: REDIRECT,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(nonce ? { nonce } : {}),
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

/**
 * A browser at the provider: follows the authorization request through the provider's pages
 * (keeping its cookies) until it is sent back to `redirectTo`; resolves with that URL.
 */
export async function signIn(authorizeUrl, redirectTo = REDIRECT) {
  const jar = new Map();
  let url = new URL(authorizeUrl);
  for (let hop = 0; hop < 12; hop++) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    await response.arrayBuffer();
    const location = response.headers.get('location');
    if (!location) throw new Error(`the provider answered ${response.status} at ${url}`);
    url = new URL(location, url);
    if (url.href.startsWith(redirectTo)) return url;
  }
  throw new Error('the provider never sent the browser back');
}

/** A connection made through the exchange handler: the tokens storeCredentials was given. */
export async function connect(issuer, config) {
  const { verifier, challenge } = pkce();
  const back = await signIn(authorizeUrl(issuer, { state: 'st', challenge }));
  let tokens;
  const { createExchangeHandler } = await import('../../dist/server.js');
  const handler = createExchangeHandler({
    providers: { generic: config },
    storeCredentials: (args) => void (tokens = args.tokens),
  });
  const response = await handler(
    new Request('https://app.example/api/oauth', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: 'generic',
        code: back.searchParams.get('code'),
        state: 'st',
        codeVerifier: verifier,
        redirectUri: REDIRECT,
        // as the element forwards it: this provider says it sends iss, so one is required
        iss: back.searchParams.get('iss'),
      }),
    }),
  );
  if (response.status !== 200)
    throw new Error(`exchange: ${response.status} ${await response.text()}`);
  return tokens;
}

/** The provider's own view of a token (RFC 7662). */
export async function active(issuer, token) {
  const { id, secret } = CLIENTS.basic;
  const response = await fetch(`${issuer}/token/introspection`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }),
  });
  return (await response.json()).active;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'serve') {
  const offset = Number(process.argv[3]) * 1000;
  const RealDate = Date;
  globalThis.Date = class extends RealDate {
    constructor(...args) {
      super(...(args.length ? args : [RealDate.now() + offset]));
    }
    static now() {
      return RealDate.now() + offset;
    }
  };
  const provider = await startHere();
  process.stdout.write(`${JSON.stringify({ issuer: provider.issuer })}\n`);
  process.on('SIGTERM', () => provider.close().then(() => process.exit(0)));
  // the parent went away without a word: so does this one
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
