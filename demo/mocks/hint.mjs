// A mock of Hint Health's InstantOn, as ../../../shared/providers/hint-instanton.txt shows it:
// - GET  /admin/integrations: a practice admin's Integrations page with the partner's tile and its
//   enablement instructions; "Integrate" sends the admin to the partner's registered redirect URL
//   with the authorization code appended (…/activate?code=2jK3jlOOOpejk7xnKEl);
// - POST /api/oauth/tokens with the partner's API key (Bearer) and { code } → the integration, the
//   practice and a practice-scoped access token.
import { randomBytes } from 'node:crypto';
import {
  bearer,
  cookie,
  cookies,
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
} from './http.mjs';

const brand = { name: 'Hint', mark: 'hint' };
const theme = {
  brand: '#0f3b2e',
  'brand-ink': '#ecfdf5',
  accent: '#34d399',
  button: '#0f766e',
  page: '#f5f7f6',
};

/** The practice and its signed-in admin. */
export const HINT_PRACTICE = { id: 'pra-TeDmP0gqGJLZ', name: "Joe's Practice" };
const ADMIN = { name: 'Dana Whitfield', role: 'Practice admin' };

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alnum = (n) => Array.from(randomBytes(n), (b) => ALNUM[b % ALNUM.length]).join('');

const css = `
.shell{display:grid;grid-template-columns:13rem 1fr;gap:0;min-height:calc(100vh - 3.4rem)}
main{max-width:none;margin:0;padding:0}
nav.side{background:#fff;border-right:1px solid #e2e8f0;padding:1.25rem .75rem}
nav.side a{display:block;padding:.45rem .75rem;border-radius:.4rem;color:#334155;text-decoration:none;font-size:.92rem}
nav.side a[aria-current]{background:#ecfdf5;color:#065f46;font-weight:650}
nav.side .group{font-size:.7rem;text-transform:uppercase;letter-spacing:.08em;color:#94a3b8;margin:1rem .75rem .3rem}
.content{padding:1.75rem 2rem;max-width:52rem}
.crumbs{font-size:.8rem;color:#64748b}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem;margin-top:1.25rem}
.tile{background:#fff;border:1px solid #e2e8f0;border-radius:.75rem;padding:1.25rem}
.tile h2{font-size:1.05rem;margin:0}
.tile .head{display:flex;gap:.75rem;align-items:center;margin-bottom:.75rem}
.tile .logo{width:2.5rem;height:2.5rem;border-radius:.6rem;background:#0f172a;color:#fff;display:grid;place-items:center;font-weight:700}
.pill{display:inline-block;font-size:.72rem;font-weight:650;padding:.1rem .55rem;border-radius:999px;background:#f1f5f9;color:#475569}
.pill.on{background:#dcfce7;color:#166534}
.pill.wait{background:#fef9c3;color:#854d0e}
.steps{font-size:.88rem;color:#334155;padding-left:1.2rem}
.who{margin-left:auto;font-size:.85rem;opacity:.85}
`;

/**
 * Starts the mock. `register({ id, name, description, apiKey, redirectUrl })` registers a partner:
 * its API key and the redirect URL the code is appended to (e.g. `https://app.example/activate?code=`).
 */
export async function startHint({
  host,
  port = 0,
  now = Date.now,
  codeLifetimeMs = 10 * 60_000,
} = {}) {
  const partners = new Map();
  const codes = new Map();
  const spent = new Set();
  const integrations = new Map(); // partner id → the practice's integration
  const issued = { codes: new Set(), tokens: new Set() };

  function admin(req, res) {
    const xsrf = cookies(req)['hint_xsrf'] || randomToken(16);
    const tiles = [...partners.values()]
      .map((p) => {
        const integration = integrations.get(p.id);
        const status = integration
          ? `<span class="pill ${integration.status === 'connected' ? 'on' : 'wait'}">${integration.status === 'connected' ? 'Connected' : 'Awaiting activation'}</span>`
          : '<span class="pill">Not enabled</span>';
        return `<section class="tile" aria-labelledby="t-${esc(p.id)}">
  <div class="head"><span class="logo">${esc(p.name.slice(0, 1))}</span><div><h2 id="t-${esc(p.id)}">${esc(p.name)}</h2>${status}</div></div>
  <p style="margin:.25rem 0 .5rem">${esc(p.description)}</p>
  <ol class="steps">
    <li>Click <b>Integrate</b>: Hint sends you to ${esc(p.name)}.</li>
    <li>Sign in to ${esc(p.name)} (or create an account) to finish.</li>
  </ol>
  <form method="post" action="/admin/integrations/integrate">
    <input type="hidden" name="partner" value="${esc(p.id)}">
    <input type="hidden" name="xsrf" value="${esc(xsrf)}">
    <div class="actions"><button class="primary" type="submit">${integration ? 'Reconnect' : 'Integrate'}</button></div>
  </form>
</section>`;
      })
      .join('');
    const body = `<div class="shell">
<nav class="side" aria-label="Hint">
  <a href="#">Dashboard</a><a href="#">Patients</a><a href="#">Memberships</a><a href="#">Billing</a>
  <div class="group">Settings</div><a href="#">Practice</a><a href="#" aria-current="page">Integrations</a><a href="#">Team</a>
</nav>
<div class="content">
  <div class="crumbs">Settings › Integrations</div>
  <h1>Integrations</h1>
  <p class="sub">Connect ${esc(HINT_PRACTICE.name)} to the partners you use. InstantOn enables them without sharing API keys.</p>
  <div class="tiles">${tiles || '<p>No partner is registered.</p>'}</div>
</div></div>`;
    const out = page({ title: 'Integrations · Hint', brand, theme, body, css, wide: true }).replace(
      '<span class="env"',
      `<span class="who">${esc(ADMIN.name)} · ${esc(ADMIN.role)} · ${esc(HINT_PRACTICE.name)}</span><span class="env"`,
    );
    html(res, 200, out, { 'set-cookie': cookie('hint_xsrf', xsrf, 8 * 3600) });
  }

  async function integrate(req, res) {
    const form = await readForm(req);
    const fail = (text) =>
      errorPage(res, 400, { title: 'Integration', brand, theme }, 'Could not integrate', text);
    if (!same(form.get('xsrf') ?? '', cookies(req)['hint_xsrf'] ?? '')) {
      return fail('The form was not sent from this page. Reload it and try again.');
    }
    const partner = partners.get(form.get('partner') ?? '');
    if (!partner) return fail('This partner is not registered.');
    const code = alnum(19);
    codes.set(code, { partner, practice: HINT_PRACTICE, at: now() });
    issued.codes.add(code);
    if (!integrations.has(partner.id)) {
      integrations.set(partner.id, { id: `int-${alnum(12)}`, status: 'pending' });
    }
    // "We append the authorization code immediately to your URL."
    const target = partner.redirectUrl.endsWith('=')
      ? `${partner.redirectUrl}${encodeURIComponent(code)}`
      : `${partner.redirectUrl}${partner.redirectUrl.includes('?') ? '&' : '?'}code=${encodeURIComponent(code)}`;
    return redirect(res, target);
  }

  async function tokens(req, res) {
    const key = bearer(req);
    const partner = [...partners.values()].find((p) => same(key ?? '', p.apiKey));
    if (!key)
      return json(res, 401, {
        error: 'unauthorized',
        error_description: 'An API key is required.',
      });
    if (!partner)
      return json(res, 401, { error: 'unauthorized', error_description: 'Invalid API key.' });
    let body;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return json(res, 400, {
        error: 'invalid_request',
        error_description: 'The body is not JSON.',
      });
    }
    const code = typeof body?.code === 'string' ? body.code : '';
    const grant = codes.get(code);
    codes.delete(code);
    const refuse = (text) => json(res, 400, { error: 'invalid_grant', error_description: text });
    if (!grant)
      return refuse(
        spent.has(code)
          ? 'This authorization code was already used.'
          : 'Unknown authorization code.',
      );
    spent.add(code);
    if (grant.partner !== partner)
      return refuse('This authorization code belongs to another partner.');
    if (now() - grant.at > codeLifetimeMs) return refuse('This authorization code has expired.');
    const integration = integrations.get(partner.id);
    integration.status = 'connected';
    const access = alnum(35);
    issued.tokens.add(access);
    return json(res, 200, {
      id: integration.id,
      status: 'connected',
      token_type: 'bearer',
      refresh_token: null,
      expires_in: null,
      practice: { ...grant.practice },
      access_token: access,
    });
  }

  const server = await listen(
    router([
      ['GET', '/', (req, res) => redirect(res, '/admin/integrations')],
      ['GET', '/admin/integrations', admin],
      ['POST', '/admin/integrations/integrate', integrate],
      ['POST', '/api/oauth/tokens', tokens],
    ]),
    { host, port },
  );
  return {
    name: 'hint',
    origin: server.origin,
    baseUrl: server.origin,
    adminUrl: `${server.origin}/admin/integrations`,
    issued,
    register(partner) {
      partners.set(partner.id, { name: 'Partner app', description: '', ...partner });
    },
    close: server.close,
  };
}
