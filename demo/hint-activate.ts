// The partner's activation page, Hint's registered redirect URL: the element (mode="landing")
// takes the ?code= from the address bar at once (it is scrubbed), sends it to the backend, and
// says how it went.
import '../src/index.js';
import type { ConnectedEvent, FailedEvent, OAuthConnect } from '../src/index.js';
import { readConfig, showOutcome, slotFailure, type Connection } from './ui.js';

const config = readConfig();
// read before the element's first update, which takes the code and scrubs it from the URL
const arrivedWithCode = new URLSearchParams(location.search).has('code');

const el = document.getElementById('hint') as OAuthConnect;
const outcome = document.querySelector<HTMLElement>('[data-outcome]')!;
const adminLink = document.getElementById('admin-link') as HTMLAnchorElement;
adminLink.href = config.hint.adminUrl;
if (!arrivedWithCode) {
  document.getElementById('no-code')!.hidden = false;
  document.getElementById('intro')!.hidden = true;
}

el.addEventListener('connected', (event: ConnectedEvent) =>
  showOutcome(outcome, event.detail.result as Connection),
);
el.addEventListener('failed', (event: FailedEvent) => slotFailure(el, event));

void fetch(config.routes.state, { headers: { accept: 'application/json' } })
  .then((r) => (r.ok ? (r.json() as Promise<{ user: string }>) : undefined))
  .then((state) => {
    if (state) document.getElementById('user')!.textContent = state.user;
  });
