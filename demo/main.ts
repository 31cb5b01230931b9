import '../src/index.js';
import type { ConnectedEvent, FailedEvent, OAuthConnect } from '../src/index.js';

// The mock providers live on "the other loopback name": another origin, as a real provider would be.
const here = new URL(location.href);
const otherHost = here.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
const providerOrigin = `${here.protocol}//${otherHost}:${here.port}`;
document.getElementById('provider-origin')!.textContent = providerOrigin;
const callback = `${here.origin}/callback.html`;

const get = (id: string) => document.getElementById(id) as OAuthConnect;

const hcss = get('hcss');
hcss.authorizeUrl = `${providerOrigin}/mock/authorize.html?name=HCSS`;
hcss.redirectUri = callback;

const healthtap = get('healthtap');
healthtap.authorizeUrl = `${providerOrigin}/mock/authorize.html?name=HealthTap`;
healthtap.redirectUri = callback;

// b.well: in production your backend calls getOauthUrl(connectionId); here resolveUrl stands in.
const bwell = get('bwell');
bwell.allowedOrigins = providerOrigin;
bwell.resolveUrl = async () =>
  `${providerOrigin}/mock/bwell.html?target=${encodeURIComponent(here.origin)}`;

const log = document.getElementById('log')!;
function write(kind: string, text: string) {
  const li = document.createElement('li');
  li.className = kind;
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  log.prepend(li);
}
document.addEventListener('connected', (e: ConnectedEvent) =>
  write('connected', `connected ${e.detail.provider}: ${JSON.stringify(e.detail.result)}`),
);
document.addEventListener('failed', (e: FailedEvent) =>
  write('failed', `failed ${e.detail.provider}: ${e.detail.status} — ${e.detail.message}`),
);
