import { expect } from '@open-wc/testing';
import {
  challengeS256,
  createCodeVerifier,
  createPkcePair,
  VERIFIER_PATTERN,
} from '../../src/core/pkce.js';
import { createState, sameState } from '../../src/core/state.js';

describe('core/pkce', () => {
  it('matches the RFC 7636 appendix B test vector', async () => {
    expect(await challengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).to.equal(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes fresh 43-128 char unreserved verifiers', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const v = createCodeVerifier();
      expect(v).to.match(VERIFIER_PATTERN);
      seen.add(v);
    }
    expect(seen.size).to.equal(50);
  });

  it('pairs a verifier with its S256 challenge', async () => {
    const pair = await createPkcePair();
    expect(pair.codeChallengeMethod).to.equal('S256');
    expect(pair.codeChallenge).to.equal(await challengeS256(pair.codeVerifier));
  });

  for (const bad of ['short', 'x'.repeat(129), `${'a'.repeat(43)}+`]) {
    it(`rejects the invalid verifier ${bad.slice(0, 12)}…`, async () => {
      let error: unknown;
      await challengeS256(bad).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(RangeError);
    });
  }
});

describe('core/state', () => {
  it('is 43 base64url chars from the CSPRNG, different every time', () => {
    const a = createState();
    const b = createState();
    expect(a).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.to.equal(b);
  });

  const table: [string, string | undefined, boolean][] = [
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'ab', false],
    ['abc', undefined, false],
    ['abc', '', false],
  ];
  for (const [expected, actual, same] of table) {
    it(`sameState(${expected}, ${String(actual)}) is ${same}`, () => {
      expect(sameState(expected, actual)).to.equal(same);
    });
  }
});
