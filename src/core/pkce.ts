import { base64url, randomToken } from './random.js';

export interface PkcePair {
  readonly codeVerifier: string;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: 'S256';
}

/** RFC 7636 §4.1: 43–128 chars of [A-Z a-z 0-9 - . _ ~]. */
export const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

/** A fresh verifier: 48 random bytes → 64 base64url chars. */
export function createCodeVerifier(crypto?: Crypto): string {
  return randomToken(48, crypto);
}

/** `BASE64URL(SHA256(ASCII(verifier)))` (RFC 7636 §4.2), with WebCrypto. */
export async function challengeS256(
  codeVerifier: string,
  crypto: Crypto = globalThis.crypto,
): Promise<string> {
  if (!VERIFIER_PATTERN.test(codeVerifier)) {
    throw new RangeError('A PKCE code_verifier must be 43-128 unreserved characters.');
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return base64url(new Uint8Array(digest));
}

/** A verifier and its S256 challenge (RFC 7636). */
export async function createPkcePair(crypto?: Crypto): Promise<PkcePair> {
  const codeVerifier = createCodeVerifier(crypto);
  return {
    codeVerifier,
    codeChallenge: await challengeS256(codeVerifier, crypto),
    codeChallengeMethod: 'S256',
  };
}
