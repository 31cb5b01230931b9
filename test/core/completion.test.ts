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

describe('core/completion judgeCallback', () => {
  for (const [name, params, expected, verdict] of table) {
    it(`${name} → ${verdict}`, () => {
      const v = judgeCallback(params, expected);
      const got = v.kind === 'failure' ? v.error.status : v.kind;
      expect(got).to.equal(verdict);
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
