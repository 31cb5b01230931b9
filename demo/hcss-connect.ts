// The page the HCSS Marketplace sends a customer to after consent ("ensure that they are signed
// in, and then perform an authcode pkce flow"): signed out → the partner's sign-in, which sends
// them back here; signed in → `autostart` runs the redirect flow once (the element's marker in this
// tab keeps a return, a failed return or a reload from starting it again). The provider's answer
// comes back through the callback page to this page, where the element finishes it.
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
const { routes } = config;
const el = document.getElementById('hcss') as OAuthConnect;
// synchronously, before the first update: a return in this page's URL resumes with these
Object.assign(el, {
  authorizeUrl: config.hcss.authorizeUrl,
  clientId: config.hcss.clientId,
  scope: config.hcss.scope,
  redirectUri: new URL(config.callbackPath, location.origin).href,
  exchangeUrl: routes.oauth,
  statusUrl: `${routes.status}?provider=hcss`,
  disconnectUrl: routes.disconnect,
});

// the CompanyId your backend keeps, while it keeps the connection (a reload shows it too)
const outcome = document.querySelector<HTMLElement>('[data-outcome]')!;
el.addEventListener('connected', (event: ConnectedEvent) =>
  showOutcome(outcome, event.detail.result as Connection, '', { title: false }),
);
el.addEventListener('disconnected', () => showOutcome(outcome, undefined));
el.addEventListener('failed', (event: FailedEvent) => slotFailure(el, event));

void sessionState(config).then((state) => {
  showAccount(config, state);
  if (!state) return; // the backend is away: the button still works once it is back
  const known = state.connections.hcss;
  if (known && outcome.hidden) showOutcome(outcome, known, '', { title: false });
  // not signed in to Kestrel: sign in first, then come back here
  if (!state.signedIn) return location.replace(signinHref(config));
  el.autostart = true;
});
