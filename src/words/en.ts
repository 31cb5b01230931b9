/**
 * Every word the element shows or announces, in English: the table the others translate
 * (words/es.ts) and a partner's `messages` override. `{provider}` is the provider's name (its
 * preset's, `provider-name`, or `yourAccount` for a `generic` one without a name), `{reason}` a
 * failure's words, `{name}` the connection's name from `status-url`, `{problem}` why a disconnect
 * failed.
 */
export const en = {
  /** The name a `generic` provider goes by without `provider-name`. */
  yourAccount: 'your account',
  connect: 'Connect {provider}',
  connecting: 'Connecting…',
  severed: "Don't see the sign-in window?",
  /** The accessible name of the Reopen / Cancel group. */
  severedGroup: 'Sign-in window',
  reopen: 'Reopen',
  cancel: 'Cancel',
  signin: 'Sign in to finish connecting {provider}.',
  announceConnecting: 'Connecting to {provider}…',
  announceSevered: 'The sign-in window for {provider} is closed or hidden. Reopen it, or cancel.',
  announceExchanging: 'Finishing the connection to {provider}…',
  announceConnected: 'Connected to {provider}.',
  announceFailed: 'Could not connect to {provider}: {reason}',
  // a failure, by its status (what the `failed` event's `status` says)
  cancelled: 'The sign-in was cancelled, or access was denied.',
  blocked: 'The sign-in window was blocked. Allow pop-ups for this site and try again.',
  timeout: 'The sign-in took too long. Please try again.',
  expired: 'The sign-in expired. Please start again.',
  unauthorized: 'The answer could not be verified, so nothing was sent. Please try again.',
  exchangeFailed: 'The connection could not be completed. Please try again later.',
  invalidConfig: 'This connection is not set up correctly.',
  error: 'Something went wrong. Please try again.',
  // connection health (`status-url`, `disconnect-url`)
  healthConnected: 'Connected to {name}',
  healthChecking: 'Checking the connection…',
  healthUnknown: 'Connection status unknown.',
  reconnect: 'Reconnect',
  disconnect: 'Disconnect',
  disconnecting: 'Disconnecting…',
  disconnectFailed: 'Could not disconnect: {problem}',
};

/** The words of one language: every key of the English table. */
export type Words = { readonly [K in keyof typeof en]: string };
