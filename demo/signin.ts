// The partner app's own sign-in page (Kestrel's, not a provider's). It sends the user back to
// `?return=` (a path of this site), where the element finishes what waited for the sign-in: a Hint
// code held in this tab, or the HCSS Marketplace arrival's flow.
import { mountLangSwitch, onLangChange, t } from './i18n.js';
import { readConfig } from './ui.js';

mountLangSwitch();
const config = readConfig();
const requested = new URLSearchParams(location.search).get('return') ?? '/';
// only a path of this site: never an open redirect
const returnTo = requested.startsWith('/') && !requested.startsWith('//') ? requested : '/';

const why = document.getElementById('why')!;
const error = document.getElementById('error')!;
/** The last failure: its words follow the language too. */
let failure: 'wrong' | 'failed' | undefined;
const say = () => {
  why.textContent = t().signinWhy[returnTo.split('?')[0]!] ?? t().signinDefault;
  if (failure) error.textContent = failure === 'wrong' ? t().signinWrong : t().signinFailed;
};
say();
onLangChange(say);
document.getElementById('demo-account')!.textContent = config.kestrelSignIn;

const form = document.getElementById('form') as HTMLFormElement;
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const response = await fetch(config.routes.signin, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: data.get('email'), password: data.get('password') }),
  }).catch(() => undefined);
  if (response?.ok) return location.assign(returnTo);
  const body = (await response?.json().catch(() => undefined)) as { error?: string } | undefined;
  failure = body?.error === 'invalid_credentials' ? 'wrong' : 'failed';
  say();
  error.hidden = false;
});
