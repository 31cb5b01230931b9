import { expect } from '@open-wc/testing';
import { parseHeldCode, parsePendingFlow } from '../../src/core/schemas/kept.js';

// What this library keeps in storage is read back through these: storage any script of the origin
// can write. The shape is zod's; the kinds of numbers and booleans, and the lengths, limits.ts's.
const pending = {
  v: 2,
  provider: 'hcss',
  completion: 'code',
  state: 's'.repeat(43),
  codeVerifier: 'v'.repeat(43),
  redirectUri: 'https://app.example/cb',
  issuer: 'https://id.example',
  requireIss: true,
  returnTo: 'https://app.example/',
  createdAt: 1_700_000_000_000,
  timeout: 300_000,
};

describe('core/schemas/kept', () => {
  it('reads back a pending redirect flow as written', () => {
    expect(parsePendingFlow(pending)).to.deep.equal(pending);
    const without: Partial<typeof pending> = { ...pending };
    delete without.requireIss;
    expect(parsePendingFlow(without)).to.deep.equal(without);
  });

  const broken: [string, Record<string, unknown>][] = [
    ['createdAt as a string', { createdAt: '1700000000000' }],
    ['createdAt missing', { createdAt: undefined }],
    ['createdAt null', { createdAt: null }],
    ['timeout as a string', { timeout: '300000' }],
    ['timeout an object', { timeout: { valueOf: () => 1 } }],
    ['requireIss as a string', { requireIss: 'true' }],
    ['requireIss as a number', { requireIss: 1 }],
    ['another version', { v: 1 }],
    ['a state over 4 KB', { state: 's'.repeat(4097) }],
    ['an empty verifier', { codeVerifier: '' }],
  ];
  for (const [name, change] of broken) {
    it(`refuses a pending flow with ${name}`, () => {
      expect(parsePendingFlow({ ...pending, ...change })).to.equal(undefined);
    });
  }
  it('refuses a pending flow whose times are not finite (a parsed value, not JSON)', () => {
    expect(parsePendingFlow({ ...pending, createdAt: Number.NaN })).to.equal(undefined);
    expect(parsePendingFlow({ ...pending, timeout: Infinity })).to.equal(undefined);
  });

  const held = { v: 1, provider: 'hint', code: 'c0de', at: 1_700_000_000_000 };
  it('reads back a held landing code, and refuses one whose time is not a number', () => {
    expect(parseHeldCode(held)).to.deep.equal(held);
    for (const at of ['1700000000000', null, undefined, Number.NaN, true]) {
      expect(parseHeldCode({ ...held, at }), String(at)).to.equal(undefined);
    }
    expect(parseHeldCode({ ...held, code: '' })).to.equal(undefined);
  });
});
