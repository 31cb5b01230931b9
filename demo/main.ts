// The demo's integrations page: one card per provider, each with its <oauth-connect>; a mode switch
// per card; the events as fired; and what the backend received, sanitized by the backend.
import '../src/index.js';
import type { ConnectedEvent, DisconnectedEvent, FailedEvent, OAuthConnect } from '../src/index.js';
import { mountLangSwitch, onLangChange, recordText, t } from './i18n.js';
import {
  readConfig,
  sessionState,
  showAccount,
  showOutcome,
  signOut,
  slotFailure,
  time,
  type Connection,
  type Provider,
  type SessionState,
} from './ui.js';

type Mode = 'popup' | 'polling' | 'redirect' | 'server';

// first: `lang` on the document before the elements' first update, the page's words in it
mountLangSwitch();

const config = readConfig();
const callback = new URL(config.callbackPath, location.origin).href;
const { routes } = config;

const MODES: readonly Mode[] = ['popup', 'polling', 'redirect', 'server'];

const PROVIDER_NAMES: Record<Provider, string> = {
  hcss: 'HCSS',
  healthtap: 'HealthTap',
  bwell: 'b.well',
  hint: 'Hint',
};

/** b.well's completion differs by mode: its hosted page, or its custom redirect URL. */
const noteFor = (provider: Provider, mode: Mode) =>
  (provider === 'bwell' && mode !== 'server' ? t().bwellNotes[mode] : undefined) ??
  t().modes[mode].note;

/** Sets an element up for `mode`, as a partner page would. */
function configure(el: OAuthConnect, provider: Provider, mode: Mode): void {
  // the connection's health from your backend, and its disconnect endpoint (any mode)
  el.statusUrl = `${routes.status}?provider=${provider}`;
  el.disconnectUrl = routes.disconnect;
  el.mode = mode;
  el.exchangeUrl = routes.oauth;
  el.redirectUri = callback;
  if (provider === 'bwell') {
    // popup: b.well's hosted completion page (on b.well's origin) posts to this origin; polling and
    // redirect: the app registered with a custom redirect URL (this origin's callback page)
    el.connectionId = config.bwell.connectionId;
    el.urlEndpoint = mode === 'popup' ? routes.oauth : `${routes.oauth}?completion=redirect`;
    el.allowedOrigins = mode === 'popup' ? config.bwell.completionOrigin : undefined;
    return;
  }
  if (provider !== 'hcss' && provider !== 'healthtap') return;
  const preset = config[provider];
  if (mode === 'server') {
    // the server owns state, PKCE and the redirect URI; the element needs only its route
    el.urlEndpoint = routes.server;
    el.exchangeUrl = undefined;
    el.authorizeUrl = undefined;
    el.clientId = undefined;
    el.scope = undefined;
    el.redirectUri = undefined;
    return;
  }
  el.urlEndpoint = undefined;
  el.authorizeUrl = preset.authorizeUrl;
  el.clientId = preset.clientId;
  el.scope = preset.scope;
}

const stored = (provider: Provider): Mode | undefined => {
  try {
    return (sessionStorage.getItem(`kestrel-demo-mode:${provider}`) as Mode | null) ?? undefined;
  } catch {
    return undefined;
  }
};
const remember = (provider: Provider, mode: Mode) => {
  try {
    sessionStorage.setItem(`kestrel-demo-mode:${provider}`, mode);
  } catch {
    // storage blocked: the mode resets on reload
  }
};

const outcomes = new Map<Provider, HTMLElement>();
/** The Hint card's line while there is no connection (landing mode has no button to show). */
const hintIdle = document.querySelector<HTMLElement>('[data-provider="hint"] [data-idle]')!;

// Everything below runs synchronously, before the elements' first update: a redirect return in
// this page's URL is resumed with these options.
for (const card of document.querySelectorAll<HTMLElement>('.provider')) {
  const provider = card.dataset['provider'] as Provider;
  card.querySelector('[data-where]')!.textContent = config[provider].where;
  outcomes.set(provider, card.querySelector<HTMLElement>('[data-outcome]')!);
  const el = card.querySelector<OAuthConnect>('oauth-connect');
  if (!el) continue;
  if (provider === 'hint') {
    // landing mode: the status and Disconnect only (reconnecting starts in Hint)
    el.exchangeUrl = routes.oauth;
    el.statusUrl = `${routes.status}?provider=hint`;
    el.disconnectUrl = routes.disconnect;
    continue;
  }
  if (provider === 'bwell') {
    // the button's label (the default slot): the demo's words
    const label = document.createElement('span');
    const say = () => (label.textContent = t().connectTo(config.bwell.connectionName));
    say();
    onLangChange(say);
    el.prepend(label);
  }
  const offered = (card.querySelector<HTMLElement>('[data-modes]')?.dataset['modes'] ?? 'popup')
    .split(' ')
    .filter((m): m is Mode => MODES.includes(m as Mode));
  const initial = offered.includes(stored(provider) as Mode) ? stored(provider)! : 'popup';
  configure(el, provider, initial);
  renderModes(card, el, provider, offered, initial);
  if (provider === 'hcss' && config.hcss.signIn) {
    const tip = card.querySelector<HTMLElement>('[data-tip]')!;
    tip.hidden = false;
    const code = document.createElement('code');
    code.textContent = config.hcss.signIn;
    const say = () => tip.replaceChildren(t().demoSignIn, code);
    say();
    onLangChange(say);
  }
}

function renderModes(
  card: HTMLElement,
  el: OAuthConnect,
  provider: Provider,
  offered: Mode[],
  current: Mode,
): void {
  const fieldset = card.querySelector<HTMLFieldSetElement>('[data-modes]')!;
  const legend = document.createElement('legend');
  const group = document.createElement('div');
  group.className = 'segmented';
  const note = document.createElement('p');
  note.className = 'mode-note';
  const names: [Mode, Text][] = [];
  const say = () => {
    legend.textContent = t().mode;
    for (const [mode, name] of names) name.data = t().modes[mode].label;
    const checked = group.querySelector<HTMLInputElement>('input:checked');
    note.textContent = noteFor(provider, (checked?.value as Mode | undefined) ?? current);
  };
  onLangChange(say);
  for (const mode of offered) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = `${provider}-mode`;
    input.value = mode;
    input.checked = mode === current;
    input.addEventListener('change', () => {
      el.cancel(); // a flow of the old mode ends here
      configure(el, provider, mode);
      remember(provider, mode);
      note.textContent = noteFor(provider, mode);
    });
    const name = document.createTextNode('');
    names.push([mode, name]);
    label.append(input, name);
    group.append(label);
  }
  fieldset.replaceChildren(legend, group, note);
  say();
}

// ——— outcomes and the event log ———

const log = document.getElementById('log')!;
function logLine(
  kind: 'connected' | 'failed' | 'disconnected',
  provider: string,
  detail: string,
): void {
  document.getElementById('log-empty')!.hidden = true;
  const li = document.createElement('li');
  li.className = kind;
  const at = document.createElement('time');
  const now = Date.now();
  at.dateTime = new Date(now).toISOString();
  at.textContent = time(now);
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.textContent = kind;
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = PROVIDER_NAMES[provider as Provider] ?? provider;
  const what = document.createElement('code');
  what.textContent = detail;
  li.append(at, badge, who, what);
  log.prepend(li);
}

// the element says "Connected to …" itself (its status-url): the card adds the ids it keeps
const facts = { title: false };

// The card's ids follow the backend's connection, not the last flow: a failed Reconnect leaves the
// connection (and the element's "Connected to …") as it was, so its CompanyId stays too.
document.addEventListener('connected', (event: ConnectedEvent) => {
  const { provider, result } = event.detail;
  const box = outcomes.get(provider as Provider);
  if (box) showOutcome(box, result as Connection, '', facts);
  logLine('connected', provider, JSON.stringify(result));
  void refresh();
});

document.addEventListener('disconnected', (event: DisconnectedEvent) => {
  const { provider, result } = event.detail;
  const box = outcomes.get(provider as Provider);
  if (box) showOutcome(box, undefined);
  if (provider === 'hint') hintIdle.hidden = false;
  logLine('disconnected', provider, JSON.stringify(result));
  void refresh();
});

document.addEventListener('failed', (event: FailedEvent) => {
  const { provider, status } = event.detail;
  const el = event.target as OAuthConnect;
  slotFailure(el, event); // shown once: in the element, with its status
  const code = 'error' in event.detail ? String(event.detail.error) : status;
  const error = code !== status ? ` (${code})` : '';
  logLine('failed', provider, `status: ${status}${error}`);
  void refresh();
});

// ——— what the backend received (its own sanitized record, for this session) ———

interface Trace {
  id: string;
  at: number;
  title: string;
  status?: number;
  lines: { kind: string; label: string; data?: unknown }[];
}
interface BackendState extends SessionState {
  received: Trace[];
}

const received = document.getElementById('received')!;
let shownTraces: Trace[] = [];
function renderReceived(traces: Trace[]): void {
  // a redraw (the language changed) keeps the traces a reader opened
  const wasOpen = [...received.querySelectorAll<HTMLDetailsElement>('details')].map((d) => d.open);
  const redraw = traces === shownTraces;
  shownTraces = traces;
  const whoSaid = t().who as Record<string, string>;
  document.getElementById('received-empty')!.hidden = traces.length > 0;
  received.replaceChildren(
    ...traces.map((trace, index) => {
      const details = document.createElement('details');
      details.open = redraw ? (wasOpen[index] ?? false) : index === 0;
      const summary = document.createElement('summary');
      const at = document.createElement('time');
      at.textContent = time(trace.at);
      const code = document.createElement('span');
      code.className = `code ${trace.status && trace.status < 300 ? 'ok' : 'bad'}`;
      code.textContent = String(trace.status ?? '');
      summary.append(at, ` ${recordText(trace.title)} `, code);
      const list = document.createElement('ol');
      for (const line of trace.lines) {
        const li = document.createElement('li');
        li.className = line.kind;
        const who = document.createElement('span');
        who.className = 'who';
        who.textContent = whoSaid[line.kind] ?? line.kind;
        const label = document.createElement('span');
        label.className = 'label';
        label.textContent = recordText(line.label);
        li.append(who, label);
        if (line.data !== undefined) {
          const pre = document.createElement('pre');
          pre.textContent = format(line.data);
          li.append(pre);
        }
        list.append(li);
      }
      details.append(summary, list);
      return details;
    }),
  );
}

/** One line per key; nested objects inline: short enough to read at a glance. */
function format(data: unknown): string {
  const inline = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
    if (value && typeof value === 'object') {
      return `{ ${Object.entries(value)
        .map(([k, v]) => `${k}: ${inline(v)}`)
        .join(', ')} }`;
    }
    return JSON.stringify(value);
  };
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    return Object.entries(data)
      .map(([key, value]) => `${key}: ${inline(value)}`)
      .join('\n');
  }
  return typeof data === 'string' ? data : inline(data);
}

/** Each card's ids as the backend keeps them (connections made earlier, a reload, a redirect). */
let shownConnections: SessionState['connections'] | undefined;
function showConnections(connections: SessionState['connections']): void {
  shownConnections = connections;
  for (const [provider, box] of outcomes) {
    const connection = connections[provider];
    const since = connection?.at ? t().since(new Date(connection.at)) : '';
    showOutcome(box, connection, since, facts);
  }
  hintIdle.hidden = Boolean(connections.hint);
}
onLangChange(() => {
  for (const at of log.querySelectorAll('time')) at.textContent = time(Date.parse(at.dateTime));
  if (shownConnections) showConnections(shownConnections);
  if (shownTraces.length) renderReceived(shownTraces);
});

let asked = 0;
async function refresh(): Promise<void> {
  // only the latest question's answer counts: an older one may predate a connection
  const question = ++asked;
  const state = await sessionState<BackendState>(config);
  // the demo server stopped: the panel keeps what it showed
  if (!state || question !== asked) return;
  showAccount(config, state);
  renderReceived(state.received);
  showConnections(state.connections);
}

document.getElementById('refresh')!.addEventListener('click', () => void refresh());
// Each Clear clears its own panel; the connections stay (each card has its Disconnect).
document.getElementById('clear-log')!.addEventListener('click', () => {
  log.replaceChildren();
  document.getElementById('log-empty')!.hidden = false;
});
document.getElementById('clear-received')!.addEventListener('click', async () => {
  await fetch(routes.clear, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  await refresh();
});

const hintLink = document.getElementById('hint-admin') as HTMLAnchorElement;
hintLink.href = config.hint.adminUrl;
// an admin who is not signed in to Kestrel when Hint sends them over
document.getElementById('hint-signed-out')!.addEventListener('click', async () => {
  await signOut(config);
  location.assign(config.hint.adminUrl);
});
// the integration reports a problem (Hint's integration_error_message): the element shows it
document.getElementById('hint-break')!.addEventListener('click', async () => {
  await fetch(routes.break, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'hint' }),
  });
  await document.querySelector<OAuthConnect>('#hint')!.refreshStatus();
});
(document.getElementById('hcss-marketplace') as HTMLAnchorElement).href =
  config.hcss.marketplaceUrl;

void refresh();
