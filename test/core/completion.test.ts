import { expect } from '@open-wc/testing';
import type { CallbackParams } from '../../src/core/callback-params.js';
import { judgeCallback, type Expectation } from '../../src/core/completion.js';

const code: Expectation = {
  completion: 'code',
  state: 'S',
  codeVerifier: 'V',
  redirectUri: 'https://a/cb',
};
const status: Expectation = { completion: 'status' };

type Row = [string, CallbackParams, Expectation, string];
const table: Row[] = [
  ['code with our state', { code: 'C', state: 'S' }, code, 'success'],
  ['code with another state', { code: 'C', state: 'X' }, code, 'unauthorized'],
  ['code without state', { code: 'C' }, code, 'unauthorized'],
  ['access_denied without state', { error: 'access_denied' }, code, 'cancelled'],
  ['other error with our state', { error: 'server_error', state: 'S' }, code, 'error'],
  ['error with a foreign state', { error: 'access_denied', state: 'X' }, code, 'unauthorized'],
  ['status_code on a code flow', { status_code: 'success' }, code, 'ignore'],
  ['b.well success', { status_code: 'success' }, status, 'success'],
  ['b.well error', { status_code: 'error' }, status, 'error'],
  ['b.well cancelled', { status_code: 'cancelled' }, status, 'cancelled'],
  ['b.well expired', { status_code: 'expired' }, status, 'expired'],
  ['b.well unauthorized', { status_code: 'unauthorized' }, status, 'unauthorized'],
  ['b.well unknown status', { status_code: 'weird' }, status, 'error'],
  ['code on a status flow', { code: 'C' }, status, 'ignore'],
  ['landing code (no state expected)', { code: 'C' }, { completion: 'code' }, 'success'],
];

// The mix-up defence (RFC 9207): the issuer an answer names in `iss` must be the flow's.
const ISS = 'https://api.hcssapps.com/identity';
const withIssuer: Expectation = { ...code, issuer: ISS };
const requiresIss: Expectation = { ...code, issuer: ISS, requireIss: true };
const evil = 'https://evil.example';
const mixUp: Row[] = [
  ['code, our iss', { code: 'C', state: 'S', iss: ISS }, withIssuer, 'success'],
  ['code, another iss', { code: 'C', state: 'S', iss: evil }, withIssuer, 'unauthorized'],
  [
    'code, iss with a trailing slash',
    { code: 'C', state: 'S', iss: `${ISS}/` },
    withIssuer,
    'unauthorized',
  ],
  [
    'code, iss differing in case',
    { code: 'C', state: 'S', iss: ISS.toUpperCase() },
    withIssuer,
    'unauthorized',
  ],
  ['code, no iss (not required)', { code: 'C', state: 'S' }, withIssuer, 'success'],
  ['code, no iss (required)', { code: 'C', state: 'S' }, requiresIss, 'unauthorized'],
  ['code, our iss (required)', { code: 'C', state: 'S', iss: ISS }, requiresIss, 'success'],
  [
    'code, another iss (required)',
    { code: 'C', state: 'S', iss: evil },
    requiresIss,
    'unauthorized',
  ],
  ['code, any iss, no issuer expected', { code: 'C', state: 'S', iss: evil }, code, 'success'],
  ['access_denied, our iss', { error: 'access_denied', iss: ISS }, withIssuer, 'cancelled'],
  ['access_denied, another iss', { error: 'access_denied', iss: evil }, withIssuer, 'unauthorized'],
  [
    'error with our state, another iss',
    { error: 'server_error', state: 'S', iss: evil },
    withIssuer,
    'unauthorized',
  ],
  ['error, no iss (not required)', { error: 'server_error', state: 'S' }, withIssuer, 'error'],
  ['error, no iss (required)', { error: 'server_error', state: 'S' }, requiresIss, 'unauthorized'],
  ['error, any iss, no issuer expected', { error: 'access_denied', iss: evil }, code, 'cancelled'],
  [
    'a malformed answer (repeated iss), required',
    { error: 'invalid_request', malformed: 'iss' },
    requiresIss,
    'error',
  ],
  [
    'a malformed answer with another iss',
    { error: 'invalid_request', malformed: 'code', iss: evil },
    withIssuer,
    'unauthorized',
  ],
  ['a stray iss on a status flow', { status_code: 'success', iss: evil }, status, 'success'],
];

describe('core/completion judgeCallback', () => {
  for (const [name, params, expected, verdict] of table) {
    it(`${name} → ${verdict}`, () => {
      const v = judgeCallback(params, expected);
      const got = v.kind === 'failure' ? v.error.status : v.kind;
      expect(got).to.equal(verdict);
    });
  }
  for (const [name, params, expected, verdict] of mixUp) {
    it(`mix-up defence: ${name} → ${verdict}`, () => {
      const v = judgeCallback(params, expected);
      const got = v.kind === 'failure' ? v.error.status : v.kind;
      expect(got).to.equal(verdict);
      if (verdict === 'unauthorized')
        expect(v.kind === 'failure' && v.error.message).to.match(/mix-up/);
    });
  }
  it('hands over code, state, verifier and redirect URI', () => {
    const v = judgeCallback({ code: 'C', state: 'S' }, code);
    expect(v).to.deep.equal({
      kind: 'success',
      completion: { code: 'C', state: 'S', codeVerifier: 'V', redirectUri: 'https://a/cb' },
    });
  });
  it('carries the provider error and description through unchanged', () => {
    const v = judgeCallback({ error: 'server_error', error_description: 'Boom', state: 'S' }, code);
    expect(v.kind).to.equal('failure');
    if (v.kind !== 'failure') return;
    expect(v.error.error).to.equal('server_error');
    expect(v.error.errorDescription).to.equal('Boom');
    expect(v.error.message).to.equal('Boom');
  });
});
