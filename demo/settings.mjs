// The demo partner's configuration, as a partner would keep it: client ids and secrets from the
// environment (demo defaults otherwise), and each provider's base URL from the environment too,
// defaulting to the local mocks, so the same demo can point at a provider's sandbox.
//
//   HCSS_BASE_URL        (https://api.hcssapps.com)          HCSS_CLIENT_ID, HCSS_CLIENT_SECRET, HCSS_SCOPE
//   HCSS_MARKETPLACE_URL (the HCSS Marketplace page of your app; default: the mock's)
//   HEALTHTAP_BASE_URL   (https://developers.healthtap.com)  HEALTHTAP_APP_ID, HEALTHTAP_APP_SECRET, HEALTHTAP_SCOPE
//   HEALTHTAP_API_URL    (https://api.healthtap.com; default: HEALTHTAP_BASE_URL)
//   BWELL_GRAPHQL_URL    (https://api.client-sandbox.icanbwell.com/v1/graphql)
//   BWELL_COMPLETION_ORIGIN (the origin of b.well's hosted completion page; popup mode)
//   BWELL_USER_TOKEN, BWELL_REDIRECT_USER_TOKEN, BWELL_CONNECTION_ID, BWELL_CONNECTION_NAME
//   HINT_BASE_URL        (https://api.hint.com)              HINT_PARTNER_KEY, HINT_ADMIN_URL
import { HCSS_USER } from './mocks/index.mjs';

/** The partner app the demo plays. */
export const PARTNER = { id: 'kestrel', name: 'Kestrel' };

/** The demo backend's routes (on the page's origin). */
export const ROUTES = {
  oauth: '/api/oauth',
  server: '/api/oauth/server',
  // the elements' status-url (?provider=…) and disconnect-url
  status: '/api/integrations/status',
  disconnect: '/api/integrations/disconnect',
  state: '/api/demo/state',
  reset: '/api/demo/reset',
  // the page's Clear: forgets "what your backend received", keeps the connections
  clear: '/api/demo/clear',
  signin: '/api/demo/signin',
  signout: '/api/demo/signout',
  // makes a connection report an error, as an integration record would (Hint's
  // integration_error_message)
  break: '/api/demo/break',
};
/** The partner app's own sign-in page. */
export const SIGNIN_PATH = '/signin.html';
/** The page the HCSS Marketplace sends a customer to after consent (autostart). */
export const HCSS_ARRIVAL_PATH = '/hcss-connect.html';
/** The demo user of the partner app (its own account, not a provider's). */
export const KESTREL_USER = { name: 'Pat Morgan', email: 'pat@kestrel.example', password: 'demo' };
export const CALLBACK_PATH = '/callback.html';
export const HINT_LANDING_PATH = '/hint-activate.html';

const trim = (url) => url.replace(/\/+$/, '');

/** Reads the environment; `mocks` is what startMockProviders() returned. */
export function demoSettings(env, mocks) {
  const hcssBase = trim(env.HCSS_BASE_URL || `${mocks.hcss.origin}`);
  const htBase = trim(env.HEALTHTAP_BASE_URL || mocks.healthtap.origin);
  const htApi = trim(env.HEALTHTAP_API_URL || htBase);
  const connectionId = env.BWELL_CONNECTION_ID || 'conn-sunrise-health';
  const hcssClientId = env.HCSS_CLIENT_ID || 'kestrel-demo';
  return {
    hcss: {
      mock: !env.HCSS_BASE_URL,
      authorizeUrl: `${hcssBase}/identity/connect/authorize`,
      tokenUrl: `${hcssBase}/identity/connect/token`,
      clientId: hcssClientId,
      clientSecret: env.HCSS_CLIENT_SECRET || 'demo-hcss-client-secret',
      scope: env.HCSS_SCOPE || 'openid profile timecards:read',
      marketplaceUrl:
        env.HCSS_MARKETPLACE_URL ||
        `${mocks.hcss.origin}/marketplace?app=${encodeURIComponent(hcssClientId)}`,
    },
    healthtap: {
      mock: !env.HEALTHTAP_BASE_URL,
      authorizeUrl: `${htBase}/oauth/authorize`,
      tokenUrl: `${htApi}/oauth/token`,
      clientId: env.HEALTHTAP_APP_ID || 'kestrel-demo-app-id',
      clientSecret: env.HEALTHTAP_APP_SECRET || 'demo-healthtap-app-secret',
      scope: env.HEALTHTAP_SCOPE || 'profile_read',
    },
    bwell: {
      mock: !env.BWELL_GRAPHQL_URL,
      graphqlUrl: env.BWELL_GRAPHQL_URL || `${mocks.bwell.origin}/v1/graphql`,
      completionOrigin: trim(env.BWELL_COMPLETION_ORIGIN || mocks.bwell.origin),
      // the user's b.well token for the app registered with b.well's hosted completion page, and
      // for the app registered with a custom redirect URL (option 2: polling and redirect modes)
      userToken: env.BWELL_USER_TOKEN || 'demo-bwell-user-token',
      redirectUserToken:
        env.BWELL_REDIRECT_USER_TOKEN || env.BWELL_USER_TOKEN || 'demo-bwell-user-token-redirect',
      connectionId,
      connectionName:
        env.BWELL_CONNECTION_NAME ||
        (connectionId === 'conn-lakeside-clinic' ? 'Lakeside Family Clinic' : 'Sunrise Health'),
    },
    hint: {
      mock: !env.HINT_BASE_URL,
      baseUrl: trim(env.HINT_BASE_URL || mocks.hint.origin),
      adminUrl: env.HINT_ADMIN_URL || mocks.hint.adminUrl,
      apiKey: env.HINT_PARTNER_KEY || 'demo-hint-partner-api-key',
    },
  };
}

/**
 * The partner's registration at each mock provider (what onboarding with the real one sets up):
 * client ids and secrets, redirect URIs on the demo's origin, b.well's completion options, Hint's
 * redirect URL and API key.
 */
export function registerWithMocks(mocks, settings, origin) {
  const redirectUris = [`${origin}${CALLBACK_PATH}`, `${origin}${ROUTES.server}`];
  const { hcss, healthtap, bwell, hint } = settings;
  mocks.hcss.register({
    clientId: hcss.clientId,
    clientSecret: hcss.clientSecret,
    name: PARTNER.name,
    description: 'Scheduling and job costing for paving crews.',
    redirectUris,
    // where the HCSS Marketplace sends a customer after consent
    marketplaceRedirectUrl: `${origin}${HCSS_ARRIVAL_PATH}`,
  });
  mocks.healthtap.register({
    clientId: healthtap.clientId,
    clientSecret: healthtap.clientSecret,
    name: PARTNER.name,
    redirectUris,
  });
  mocks.bwell.register({
    id: `${PARTNER.id}-web`,
    name: PARTNER.name,
    userToken: bwell.userToken,
    partnerOrigin: origin,
  });
  if (bwell.redirectUserToken !== bwell.userToken) {
    mocks.bwell.register({
      id: `${PARTNER.id}-custom-redirect`,
      name: PARTNER.name,
      userToken: bwell.redirectUserToken,
      customRedirectUrl: `${origin}${CALLBACK_PATH}`,
    });
  }
  mocks.hint.register({
    id: PARTNER.id,
    name: PARTNER.name,
    description: 'Scheduling and care coordination for your members.',
    apiKey: hint.apiKey,
    redirectUrl: `${origin}${HINT_LANDING_PATH}?code=`,
  });
}

/** What the page may know (no secret): handed to it in the HTML. */
export function publicConfig(settings) {
  const where = (mock, url) => (mock ? `mock · ${new URL(url).host}` : new URL(url).host);
  const { hcss, healthtap, bwell, hint } = settings;
  return {
    partner: PARTNER,
    routes: ROUTES,
    callbackPath: CALLBACK_PATH,
    hintLandingPath: HINT_LANDING_PATH,
    signinPath: SIGNIN_PATH,
    kestrelSignIn: `${KESTREL_USER.email} / ${KESTREL_USER.password}`,
    hcss: {
      where: where(hcss.mock, hcss.authorizeUrl),
      authorizeUrl: hcss.authorizeUrl,
      clientId: hcss.clientId,
      scope: hcss.scope,
      coop: hcss.mock,
      signIn: hcss.mock ? `${HCSS_USER.email} / ${HCSS_USER.password}` : undefined,
      marketplaceUrl: hcss.marketplaceUrl,
    },
    healthtap: {
      where: where(healthtap.mock, healthtap.authorizeUrl),
      authorizeUrl: healthtap.authorizeUrl,
      clientId: healthtap.clientId,
      scope: healthtap.scope,
    },
    bwell: {
      where: where(bwell.mock, bwell.graphqlUrl),
      completionOrigin: bwell.completionOrigin,
      connectionId: bwell.connectionId,
      connectionName: bwell.connectionName,
    },
    hint: { where: where(hint.mock, hint.baseUrl), adminUrl: hint.adminUrl },
  };
}
