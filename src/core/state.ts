import { randomToken } from './random.js';

/**
 * A fresh, unguessable `state` for one flow: 32 bytes from `crypto.getRandomValues` (43 chars).
 * It binds the answer to the request and defeats login CSRF (RFC 6749 §10.12).
 */
export function createState(crypto?: Crypto): string {
  return randomToken(32, crypto);
}

/**
 * Constant-time string comparison, so a timing side channel cannot reveal the expected state.
 * Anything but two strings (a number has no length: it would compare equal to anything) is false.
 */
export function sameState(expected: string, actual: string | undefined): boolean {
  if (typeof expected !== 'string' || typeof actual !== 'string') return false;
  if (actual.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ actual.charCodeAt(i);
  return diff === 0;
}
