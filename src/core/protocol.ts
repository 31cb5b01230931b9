/** Names shared by the callback page and its opener (kept free of zod so callback.ts stays tiny). */
export const CALLBACK_MESSAGE_TYPE = 'oauth-connect:callback';
export const ACK_MESSAGE_TYPE = 'oauth-connect:ack';
/** The BroadcastChannel name, and the prefix of the short-lived storage keys. */
export const CHANNEL_NAME = 'oauth-connect';
