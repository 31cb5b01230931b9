// What the demo's pages share: the configuration the server put in the page, and how a card shows
// an outcome. Failures are shown once: by the element itself, in its `error` slot, with the status.
import type { FailedEvent, OAuthConnect } from '../src/index.js';
import { clock, onLangChange, t } from './i18n.js';

export type Provider = 'hcss' | 'healthtap' | 'bwell' | 'hint';

/** What the demo server hands the page (settings.mjs publicConfig): no secret in it. */
export interface DemoConfig {
  partner: { id: string; name: string };
  routes: Record<
    | 'oauth'
    | 'server'
    | 'status'
    | 'disconnect'
    | 'state'
    | 'reset'
    | 'clear'
    | 'signin'
    | 'signout'
    | 'break',
    string
  >;
  callbackPath: string;
  hintLandingPath: string;
  signinPath: string;
  /** The partner app's demo account, `email / password`. */
  kestrelSignIn: string;
  hcss: {
    where: string;
    authorizeUrl: string;
    clientId: string;
    scope: string;
    signIn?: string;
    marketplaceUrl: string;
  };
  healthtap: { where: string; authorizeUrl: string; clientId: string; scope: string };
  bwell: { where: string; completionOrigin: string; connectionId: string; connectionName: string };
  hint: { where: string; adminUrl: string };
}

export function readConfig(): DemoConfig {
  const raw = document.getElementById('demo-config')?.textContent;
  if (!raw) throw new Error('demo config missing: start the demo with `npm start`');
  return JSON.parse(raw) as DemoConfig;
}

/** The backend's view of this session (GET /api/demo/state). */
export interface SessionState {
  signedIn: boolean;
  user: string | null;
  connections: Partial<Record<Provider, Connection>>;
}

/** This session as the backend sees it; undefined when the backend cannot be reached. */
export async function sessionState<T extends SessionState = SessionState>(
  config: DemoConfig,
): Promise<T | undefined> {
  const response = await fetch(config.routes.state, {
    headers: { accept: 'application/json' },
  }).catch(() => undefined);
  return response?.ok ? ((await response.json()) as T) : undefined;
}

/** The partner's sign-in page, sending the user back to `returnTo` (a path of this site). */
export const signinHref = (config: DemoConfig, returnTo = location.pathname) =>
  `${config.signinPath}?return=${encodeURIComponent(returnTo)}`;

/**
 * The top bar's account: "Pat Morgan · Sign out", or "Signed out · Sign in". Signing out reloads
 * the page (`onSignedOut` runs first).
 */
export function showAccount(config: DemoConfig, state: SessionState | undefined): void {
  shownAccount = [config, state];
  const user = document.getElementById('user')!;
  const action = document.getElementById('account-action') as HTMLButtonElement | null;
  user.textContent = state?.signedIn ? (state.user ?? t().signedIn) : t().signedOut;
  user.classList.toggle('out', !state?.signedIn);
  if (!action) return;
  action.hidden = !state;
  action.textContent = state?.signedIn ? t().signOut : t().signIn;
  action.onclick = async () => {
    if (!state?.signedIn) return location.assign(signinHref(config));
    await signOut(config);
    location.reload();
  };
}

let shownAccount: Parameters<typeof showAccount> | undefined;
onLangChange(() => {
  if (shownAccount) showAccount(...shownAccount);
});

export function signOut(config: DemoConfig): Promise<Response> {
  return fetch(config.routes.signout, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
}

/** A connection as the backend answered it (`storeCredentials`' return value). */
export interface Connection {
  account?: string;
  companyId?: string;
  integrationId?: string;
  connectionId?: string;
  at?: number;
}

/**
 * Shows "Connected · account" in `box` (or hides it). `title: false` shows only the facts (an
 * element with a `status-url` says "Connected to …" itself); nothing to show hides the box.
 */
export function showOutcome(
  box: HTMLElement,
  connection: Connection | undefined,
  note = '',
  { title: withTitle = true } = {},
): void {
  box.replaceChildren();
  box.hidden = !connection;
  if (!connection) return;
  if (!withTitle) {
    const facts = factsOf(connection, note);
    box.hidden = !facts;
    if (facts) box.append(facts);
    return;
  }
  const title = document.createElement('div');
  title.className = 'connected';
  const check = document.createElement('span');
  check.className = 'check';
  check.setAttribute('aria-hidden', 'true');
  check.textContent = '✓';
  const text = document.createElement('span');
  const strong = document.createElement('strong');
  strong.textContent = t().connected;
  text.append(strong, ` · ${connection.account ?? t().account}`);
  title.append(check, text);
  box.append(title);
  const facts = factsOf(connection, note);
  if (facts) box.append(facts);
}

/** The connection's ids (CompanyId, integration, connection) as chips, or undefined. */
function factsOf(connection: Connection, note: string): HTMLElement | undefined {
  const facts: [string, string | undefined][] = [
    ['CompanyId', connection.companyId],
    [t().facts.integration, connection.integrationId],
    [t().facts.connection, connection.connectionId],
  ];
  const shown = facts.filter(([, value]) => value);
  if (!shown.length && !note) return undefined;
  const meta = document.createElement('div');
  meta.className = 'facts';
  for (const [label, value] of shown) {
    const chip = document.createElement('span');
    chip.textContent = `${label} ${value}`;
    meta.append(chip);
  }
  if (note) meta.append(note);
  return meta;
}

/**
 * The element shows its failure itself: the page only fills its `error` slot with the status
 * beside the element's message, so a failure shows once.
 */
export function slotFailure(el: OAuthConnect, event: FailedEvent): void {
  let slot = el.querySelector<HTMLElement>(':scope > [slot="error"]');
  if (!slot) {
    slot = document.createElement('span');
    slot.slot = 'error';
    el.append(slot);
  }
  const status = document.createElement('span');
  status.className = 'status';
  status.textContent = event.detail.status;
  slot.replaceChildren(status, ` ${event.detail.message}`);
}

/** A time of day, in the page's language. */
export const time = (at = Date.now()): string => clock(at);
