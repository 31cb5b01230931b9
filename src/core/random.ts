/** base64url without padding (RFC 4648 §5), as PKCE and `state` use. */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `byteLength` bytes from the platform CSPRNG, base64url encoded. */
export function randomToken(byteLength: number, crypto: Crypto = globalThis.crypto): string {
  const bytes = new Uint8Array(byteLength);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}
