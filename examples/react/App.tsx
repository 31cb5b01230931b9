// React with the wrapper: `npm install oauth-connect @lit/react` (React >= 18).
// Props are the element's properties (camelCase); onConnected / onFailed get the typed events.
import { useState } from 'react';
import { OAuthConnect } from 'oauth-connect/react';

export function ConnectHcss() {
  const [message, setMessage] = useState('');
  return (
    <>
      <OAuthConnect
        provider="hcss"
        clientId="YOUR_CLIENT_ID"
        scope="openid timecards:read"
        redirectUri="https://app.example.com/oauth/callback"
        exchangeUrl="/api/oauth"
        onConnected={(e) => setMessage(`Connected: ${JSON.stringify(e.detail.result)}`)}
        onFailed={(e) => setMessage(`${e.detail.status}: ${e.detail.message}`)}
      >
        Connect HCSS
      </OAuthConnect>
      <p role="status">{message}</p>
    </>
  );
}
