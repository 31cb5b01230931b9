// The partner app's own sign-in page (Kestrel's, not a provider's). It sends the user back to
// `?return=` (a path of this site), where the element finishes what waited for the sign-in: a Hint
// code held in this tab, or the HCSS Marketplace arrival's flow.
import { readConfig } from './ui.js';

const config = readConfig();
const requested = new URLSearchParams(location.search).get('return') ?? '/';
// only a path of this site: never an open redirect
const returnTo = requested.startsWith('/') && !requested.startsWith('//') ? requested : '/';

const WHY: Record<string, string> = {
  '/hint-activate.html': 'Sign in to finish activating Hint: your activation waits in this tab.',
  '/hcss-connect.html': 'Sign in to finish connecting HCSS from the HCSS Marketplace.',
};
document.getElementById('why')!.textContent =
  WHY[returnTo.split('?')[0]!] ?? 'Sign in to continue.';
document.getElementById('demo-account')!.textContent = config.kestrelSignIn;

const form = document.getElementById('form') as HTMLFormElement;
const error = document.getElementById('error')!;
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const response = await fetch(config.routes.signin, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: data.get('email'), password: data.get('password') }),
  }).catch(() => undefined);
  if (response?.ok) return location.assign(returnTo);
  const body = (await response?.json().catch(() => undefined)) as
    { error_description?: string } | undefined;
  error.textContent = body?.error_description ?? 'The sign-in did not go through.';
  error.hidden = false;
});
