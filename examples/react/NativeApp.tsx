// React 19 without a wrapper: React 19 sets known properties on custom elements and adds an event
// listener for an `on…` prop, named exactly as written after `on` — so `onconnected` listens to
// `connected` (`onConnected` would listen to "Connected"). JSX needs the tag declared once.
// Hyphenated attributes (client-id, redirect-uri, …) are accepted by JSX as they are (unchecked) and
// also render on the server; camelCase props (clientId, …) are set as properties once the element
// is defined.
import 'oauth-connect'; // defines <oauth-connect>
import type { ConnectedEvent, FailedEvent, OAuthConnect } from 'oauth-connect';

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      // (HTMLAttributes and DetailedHTMLProps are React's own, in scope in this augmentation)
      'oauth-connect': DetailedHTMLProps<HTMLAttributes<OAuthConnect>, OAuthConnect> &
        Partial<Omit<OAuthConnect, keyof HTMLElement>> & {
          onconnected?: (event: ConnectedEvent) => void;
          onfailed?: (event: FailedEvent) => void;
        };
    }
  }
}

export function ConnectHealthTap({ onDone }: { onDone: (ok: boolean) => void }) {
  return (
    <oauth-connect
      provider="healthtap"
      client-id="YOUR_APP_ID"
      scope="profile_read"
      redirect-uri="https://app.example.com/oauth/callback"
      exchange-url="/api/oauth"
      onconnected={() => onDone(true)}
      onfailed={(e) => onDone(e.detail.status !== 'cancelled')}
    />
  );
}
