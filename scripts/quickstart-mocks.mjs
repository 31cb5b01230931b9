// The demo's mock providers for the README's quick start (`npm run mocks`): the same mocks as
// `npm start` (demo/mocks/), without the demo, with the quick start's HCSS client registered for
// an app on http://localhost:5174 (APP_ORIGIN to change it). Ctrl-C stops them.
import { startMockProviders } from '../demo/mocks/index.mjs';

const app = process.env.APP_ORIGIN ?? 'http://localhost:5174';
const mocks = await startMockProviders();
mocks.hcss.register({
  clientId: 'quickstart',
  clientSecret: 'quickstart-secret',
  name: 'Quick start',
  redirectUris: [`${app}/callback.html`],
});
console.log(`mock HCSS on ${mocks.hcss.origin}, client "quickstart" for ${app}/callback.html`);
if (mocks.hcss.origin !== 'http://127.0.0.1:5181') {
  console.log('(port 5181 was taken: use this origin in authorize-url and tokenUrl)');
}
process.on('SIGINT', () => void mocks.close().then(() => process.exit(0)));
