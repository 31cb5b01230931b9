/**
 * `oauth-connect/react`: `<oauth-connect>` as a React component, made with `@lit/react`.
 * Attributes become camelCase props (set as properties), and the events become typed props
 * (`onConnected`, `onFailed`, `onDisconnected`, `onSigninRequired`):
 *
 * ```tsx
 * import { OAuthConnect } from 'oauth-connect/react';
 *
 * <OAuthConnect
 *   provider="hcss"
 *   clientId="…"
 *   redirectUri="https://app.example.com/oauth/callback"
 *   exchangeUrl="/api/hcss/exchange"
 *   onConnected={(e) => save(e.detail.result)}
 *   onFailed={(e) => show(e.detail.status)}
 * />;
 * ```
 *
 * Importing it defines `<oauth-connect>` (it imports the package's main entry). React 19 can also
 * use the tag itself, without this wrapper: `<oauth-connect onconnected={…} onfailed={…}>`.
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import {
  OAuthConnect as OAuthConnectElement,
  type ConnectedEvent,
  type ConnectProgressEvent,
  type DisconnectedEvent,
  type FailedEvent,
  type SigninRequiredEvent,
} from './index.js';

/**
 * `<oauth-connect>` for React: its properties as props, plus `onConnected`, `onFailed`,
 * `onDisconnected`, `onSigninRequired` and `onProgress` (`connect-progress`).
 */
export const OAuthConnect = createComponent({
  react: React,
  tagName: 'oauth-connect',
  elementClass: OAuthConnectElement,
  events: {
    onConnected: 'connected' as EventName<ConnectedEvent>,
    onFailed: 'failed' as EventName<FailedEvent>,
    onDisconnected: 'disconnected' as EventName<DisconnectedEvent>,
    onSigninRequired: 'signin-required' as EventName<SigninRequiredEvent>,
    onProgress: 'connect-progress' as EventName<ConnectProgressEvent>,
  },
  displayName: 'OAuthConnect',
});

/** The props of {@link OAuthConnect} (a `ref` gives the `<oauth-connect>` element itself). */
export type OAuthConnectProps = React.ComponentProps<typeof OAuthConnect>;

export type {
  ConnectedEvent,
  ConnectProgressEvent,
  DisconnectedEvent,
  FailedEvent,
  SigninRequiredEvent,
};
