// The partner's activation page, Hint's registered redirect URL: the element (mode="landing")
// takes the ?code= from the address bar at once (it is scrubbed) and sends it to the backend. A
// signed-out admin gets a 401 there: the element holds the code in this tab and fires
// `signin-required`; the page offers its sign-in, which sends the admin back here, where the
// element sends the held code.
import '../src/index.js';
import type { ConnectedEvent, FailedEvent, OAuthConnect } from '../src/index.js';
import { mountLangSwitch } from './i18n.js';
import {
  readConfig,
  sessionState,
  showAccount,
  showOutcome,
  signinHref,
  slotFailure,
  type Connection,
} from './ui.js';

// `lang` on the document before the element's first update
mountLangSwitch();

const config = readConfig();
// read before the element's first update, which takes the code (or the held one)
const arrived =
  new URLSearchParams(location.search).has('code') ||
  sessionStorage.getItem('oauth-connect:held:hint') !== null;

const el = document.getElementById('hint') as OAuthConnect;
const outcome = document.querySelector<HTMLElement>('[data-outcome]')!;
const adminLink = document.getElementById('admin-link') as HTMLAnchorElement;
adminLink.href = config.hint.adminUrl;
(document.getElementById('signin-link') as HTMLAnchorElement).href = signinHref(
  config,
  config.hintLandingPath,
);
if (!arrived) {
  document.getElementById('no-code')!.hidden = false;
  document.getElementById('intro')!.hidden = true;
}

el.addEventListener('connected', (event: ConnectedEvent) => {
  document.getElementById('signin-tip')!.hidden = true;
  showOutcome(outcome, event.detail.result as Connection, '', { title: false });
});
el.addEventListener('failed', (event: FailedEvent) => slotFailure(el, event));
el.addEventListener('disconnected', () => showOutcome(outcome, undefined));
el.addEventListener('signin-required', () => {
  document.getElementById('signin-tip')!.hidden = false;
});

void sessionState(config).then((state) => {
  showAccount(config, state);
  // the connection's status, once there is a user to ask about (signed out, it would be a 401:
  // "status unknown")
  if (state?.signedIn) el.statusUrl = `${config.routes.status}?provider=hint`;
});
