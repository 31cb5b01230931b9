// A mock of b.well health.network's OAuth connection flow, as
// ../../../shared/providers/bwell-oauth-connection.txt shows it:
// - POST /v1/graphql `query getOauthUrl($connectionId)` with the user's b.well token (Bearer)
//   → { data: { getOauthUrl: { redirectUrl } } }, or GraphQL errors;
// - GET /oauth/connect: the health system's sign-in and consent page (Connect, Cancel, and a way to
//   let the b.well session expire), its form checked against the session's CSRF token;
// - the completion, by the partner app's registration: b.well's hosted page
//   (/oauth/complete?status_code=…, which posts `status-success` / `status-failure` to the partner's
//   registered origin, never '*'), or the partner's custom redirect URL with ?status_code=….
import {
  bearer,
  errorPage,
  esc,
  html,
  json,
  listen,
  page,
  randomToken,
  readBody,
  readForm,
  redirect,
  router,
  same,
  scriptJson,
  withQuery,
} from './http.mjs';

const brand = { name: 'b.well health.network', mark: 'b.' };
const theme = {
  brand: '#2b1a66',
  'brand-ink': '#fff',
  accent: '#36d6a8',
  button: '#4a2fbd',
  page: '#f4f2fb',
};

/** The health systems a user can connect (what "Search for & Establish Connections" found). */
export const BWELL_CONNECTIONS = {
  'conn-sunrise-health': { name: 'Sunrise Health', portal: 'Sunrise MyChart' },
  'conn-lakeside-clinic': { name: 'Lakeside Family Clinic', portal: 'Lakeside Patient Portal' },
};

const FAILURE_TEXT = {
  error: 'Something went wrong while connecting.',
  cancelled: 'You cancelled the connection.',
  expired: 'Your b.well session expired before the connection completed.',
  unauthorized: 'The request could not be verified (security check failed).',
};

/**
 * Starts the mock. `register({ id, userToken, name, partnerOrigin, customRedirectUrl? })` registers
 * a partner app: its user's b.well token, the origin b.well's hosted completion page posts to, and
 * (option 2) a custom redirect URL that receives ?status_code= instead.
 */
export async function startBwell({
  host,
  port = 0,
  now = Date.now,
  sessionLifetimeMs = 10 * 60_000,
} = {}) {
  const apps = new Map(); // userToken → app
  const byId = new Map();
  const sessions = new Map(); // the b.well session behind one redirectUrl

  const show = (res, status, title, body) => html(res, status, page({ title, brand, theme, body }));
  const fail = (res, status, heading, text) =>
    errorPage(res, status, { title: heading, brand, theme }, heading, text);
  const gqlError = (res, status, message, code) =>
    json(res, status, { data: null, errors: [{ message, extensions: { code } }] });

  async function graphql(req, res) {
    let body;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return gqlError(res, 400, 'Body must be a JSON GraphQL request.', 'BAD_REQUEST');
    }
    const app = apps.get(bearer(req) ?? '');
    if (!app)
      return gqlError(
        res,
        200,
        'Unauthorized: a valid b.well user token is required.',
        'UNAUTHENTICATED',
      );
    if (typeof body?.query !== 'string' || !/\bgetOauthUrl\s*\(/.test(body.query)) {
      return gqlError(res, 400, 'This mock only answers getOauthUrl.', 'GRAPHQL_VALIDATION_FAILED');
    }
    const connectionId = body.variables?.connectionId;
    const connection = BWELL_CONNECTIONS[connectionId];
    if (!connection)
      return gqlError(res, 200, `Connection not found: ${String(connectionId)}`, 'NOT_FOUND');
    const sid = randomToken(24);
    sessions.set(sid, {
      app,
      connectionId,
      connection,
      csrf: randomToken(16),
      exp: now() + sessionLifetimeMs,
    });
    return json(res, 200, {
      data: { getOauthUrl: { redirectUrl: `${origin}/oauth/connect?session=${sid}` } },
    });
  }

  function consentPage(req, res, url) {
    const sid = url.searchParams.get('session') ?? '';
    const session = sessions.get(sid);
    if (!session)
      return fail(
        res,
        400,
        'This link is no longer valid',
        'Go back to the app and connect again.',
      );
    if (now() > session.exp) {
      sessions.delete(sid);
      return complete(res, session.app, 'expired');
    }
    const { connection, app } = session;
    return show(
      res,
      200,
      `Connect ${connection.name} · b.well`,
      `<div class="card">
  <div class="app"><span class="logo" style="background:#0e7c66">${esc(connection.name.slice(0, 1))}</span>
    <div><h1>Connect ${esc(connection.name)}</h1><div class="sub" style="margin:0">for <b>${esc(app.name)}</b>, through b.well</div></div></div>
  <form method="post" action="/oauth/connect">
    <input type="hidden" name="session" value="${esc(sid)}">
    <input type="hidden" name="csrf" value="${esc(session.csrf)}">
    <label for="username">${esc(connection.portal)} username</label>
    <input id="username" name="username" type="text" autocomplete="username" value="jordan.lee">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" placeholder="any password works here">
    <p class="note">By connecting, you allow b.well to retrieve your records from ${esc(connection.name)} and share them with ${esc(app.name)}.</p>
    <div class="actions">
      <button class="primary grow" type="submit" name="decision" value="allow">Connect</button>
      <button class="secondary" type="submit" name="decision" value="cancel" formnovalidate>Cancel</button>
    </div>
    <div class="actions" style="margin-top:.8rem"><button class="link" type="submit" name="decision" value="expire" formnovalidate>Demo: let the b.well session expire</button></div>
  </form>
</div>`,
    );
  }

  async function decide(req, res) {
    const form = await readForm(req);
    const sid = form.get('session') ?? '';
    const session = sessions.get(sid);
    sessions.delete(sid); // one use
    if (!session)
      return fail(
        res,
        400,
        'This link is no longer valid',
        'Go back to the app and connect again.',
      );
    if (!same(form.get('csrf') ?? '', session.csrf))
      return complete(res, session.app, 'unauthorized');
    const decision = form.get('decision');
    if (decision === 'expire' || now() > session.exp) return complete(res, session.app, 'expired');
    if (decision === 'cancel') return complete(res, session.app, 'cancelled');
    if (decision !== 'allow') return complete(res, session.app, 'error');
    return complete(res, session.app, 'success');
  }

  /** Option 2 (custom redirect URL) or option 1 (b.well's hosted completion page). */
  function complete(res, app, status) {
    if (app.customRedirectUrl)
      return redirect(res, withQuery(app.customRedirectUrl, { status_code: status }));
    return redirect(
      res,
      `/oauth/complete?${new URLSearchParams({ client: app.id, status_code: status })}`,
    );
  }

  function completionPage(req, res, url) {
    const app = byId.get(url.searchParams.get('client') ?? '');
    const status = url.searchParams.get('status_code') ?? 'error';
    if (!app)
      return fail(
        res,
        400,
        'Unknown application',
        'This completion page belongs to no application.',
      );
    const ok = status === 'success';
    const message = ok ? 'status-success' : 'status-failure';
    return show(
      res,
      200,
      ok ? 'Connected · b.well' : 'Not connected · b.well',
      `<div class="card" style="text-align:center">
  <div style="font-size:2.4rem;line-height:1">${ok ? '✓' : '✕'}</div>
  <h1>${ok ? 'Connection complete' : 'Not connected'}</h1>
  <p class="sub">${esc(ok ? `You can return to ${app.name}.` : (FAILURE_TEXT[status] ?? FAILURE_TEXT.error))}</p>
  <p class="note">This window can be closed.</p>
</div>
<script>
  // b.well's hosted completion page: tells the window that opened it, at the partner's registered
  // origin only (never '*'), and leaves ?status_code= in the URL for pollers.
  if (window.opener) window.opener.postMessage(${scriptJson(message)}, ${scriptJson(app.partnerOrigin)});
</script>`,
    );
  }

  const server = await listen(
    router([
      ['POST', '/v1/graphql', graphql],
      ['GET', '/oauth/connect', consentPage],
      ['POST', '/oauth/connect', decide],
      ['GET', '/oauth/complete', completionPage],
    ]),
    { host, port },
  );
  const origin = server.origin;
  return {
    name: 'bwell',
    origin,
    graphqlUrl: `${origin}/v1/graphql`,
    issued: { codes: new Set(), tokens: new Set() },
    register(app) {
      const entry = { id: app.id ?? randomToken(6), name: 'Partner app', ...app };
      if (!entry.customRedirectUrl && !entry.partnerOrigin) {
        throw new TypeError('b.well mock: an app needs partnerOrigin or customRedirectUrl');
      }
      apps.set(entry.userToken, entry);
      byId.set(entry.id, entry);
    },
    close: server.close,
  };
}
