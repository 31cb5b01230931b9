// What the demo's pages share: the configuration the server put in the page, and how a card shows
// an outcome. Failures are shown once: by the element itself, in its `error` slot, with the status.
import type { FailedEvent, OAuthConnect } from '../src/index.js';

export type Provider = 'hcss' | 'healthtap' | 'bwell' | 'hint';

/** What the demo server hands the page (settings.mjs publicConfig): no secret in it. */
export interface DemoConfig {
  partner: { id: string; name: string };
  routes: Record<'oauth' | 'server' | 'state' | 'reset', string>;
  callbackPath: string;
  hintLandingPath: string;
  hcss: { where: string; authorizeUrl: string; clientId: string; scope: string; signIn?: string };
  healthtap: { where: string; authorizeUrl: string; clientId: string; scope: string };
  bwell: { where: string; completionOrigin: string; connectionId: string; connectionName: string };
  hint: { where: string; adminUrl: string };
}

export function readConfig(): DemoConfig {
  const raw = document.getElementById('demo-config')?.textContent;
  if (!raw) throw new Error('demo config missing: start the demo with `npm start`');
  return JSON.parse(raw) as DemoConfig;
}

/** A connection as the backend answered it (`storeCredentials`' return value). */
export interface Connection {
  account?: string;
  companyId?: string;
  integrationId?: string;
  connectionId?: string;
  at?: number;
}

/** Shows "Connected · account" in `box` (or hides it). */
export function showOutcome(box: HTMLElement, connection: Connection | undefined, note = ''): void {
  box.replaceChildren();
  box.hidden = !connection;
  if (!connection) return;
  const title = document.createElement('div');
  title.className = 'connected';
  const check = document.createElement('span');
  check.className = 'check';
  check.setAttribute('aria-hidden', 'true');
  check.textContent = '✓';
  const text = document.createElement('span');
  const strong = document.createElement('strong');
  strong.textContent = 'Connected';
  text.append(strong, ` · ${connection.account ?? 'account'}`);
  title.append(check, text);
  box.append(title);
  const facts: [string, string | undefined][] = [
    ['CompanyId', connection.companyId],
    ['integration', connection.integrationId],
    ['connection', connection.connectionId],
  ];
  const shown = facts.filter(([, value]) => value);
  if (shown.length || note) {
    const meta = document.createElement('div');
    meta.className = 'facts';
    for (const [label, value] of shown) {
      const chip = document.createElement('span');
      chip.textContent = `${label} ${value}`;
      meta.append(chip);
    }
    if (note) meta.append(note);
    box.append(meta);
  }
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

export function time(at = Date.now()): string {
  return new Date(at).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}
