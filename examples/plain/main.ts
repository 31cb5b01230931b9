// Plain TypeScript: the element, its typed events (on the element, the document or the window:
// both events bubble and are composed), and connect() without the element.
import { connect, isConnectError, type OAuthConnect } from 'oauth-connect';

const el = document.querySelector<OAuthConnect>('oauth-connect')!;
el.addEventListener('connected', (e) => console.log(e.detail.provider, e.detail.result));
el.addEventListener('failed', (e) => console.warn(e.detail.status, e.detail.message));

// one listener for every <oauth-connect> on the page
window.addEventListener('failed', (e) => {
  if (e.detail.status === 'blocked') alert('Please allow popups for this site.');
});
document.addEventListener('connected', (e) => console.log('connected', e.detail.provider));

// without the element: call it synchronously in the click, so the popup is not blocked
document.querySelector('#connect')!.addEventListener('click', async () => {
  try {
    const { result } = await connect({
      provider: 'hcss',
      clientId: 'YOUR_CLIENT_ID',
      redirectUri: 'https://app.example.com/oauth/callback',
      exchangeUrl: '/api/oauth',
    });
    console.log(result);
  } catch (error) {
    if (isConnectError(error)) console.warn(error.status);
  }
});
