// The demo's mock providers, each on its own port (its own origin), in this process:
//   HCSS      /identity/connect/authorize, /identity/connect/token          (hcss.mjs)
//   HealthTap /oauth/authorize, /oauth/token                                 (healthtap.mjs)
//   b.well    /v1/graphql getOauthUrl, /oauth/connect, /oauth/complete       (bwell.mjs)
//   Hint      /admin/integrations, /api/oauth/tokens                         (hint.mjs)
// Plain node:http, no dependencies. Each refuses what the real one would: an unknown client, a
// redirect_uri that was not registered, a missing or wrong PKCE verifier, a reused or expired
// code, missing client authentication.
import { startBwell } from './bwell.mjs';
import { startHcss } from './hcss.mjs';
import { startHealthtap } from './healthtap.mjs';
import { startHint } from './hint.mjs';

export { HCSS_USER } from './hcss.mjs';
export { HEALTHTAP_MEMBER } from './healthtap.mjs';
export { BWELL_CONNECTIONS } from './bwell.mjs';
export { HINT_PRACTICE } from './hint.mjs';

/** Where the mocks try to listen first (a taken port falls back to a free one). */
export const DEFAULT_PORTS = { hcss: 5181, healthtap: 5182, bwell: 5183, hint: 5184 };

/**
 * Starts the four mocks. `ports`: per provider, or 0 for free ports everywhere (tests);
 * `now`: the clock (tests move it to expire codes); `coop`: HCSS sends its sign-in and consent pages
 * with Cross-Origin-Opener-Policy: same-origin (default true).
 */
export async function startMockProviders({
  host = '127.0.0.1',
  ports = DEFAULT_PORTS,
  now = Date.now,
  coop = true,
} = {}) {
  const portOf = (name) => (typeof ports === 'number' ? ports : (ports[name] ?? 0));
  const started = [];
  try {
    const hcss = await startHcss({ host, port: portOf('hcss'), now, coop });
    started.push(hcss);
    const healthtap = await startHealthtap({ host, port: portOf('healthtap'), now });
    started.push(healthtap);
    const bwell = await startBwell({ host, port: portOf('bwell'), now });
    started.push(bwell);
    const hint = await startHint({ host, port: portOf('hint'), now });
    started.push(hint);
    return {
      hcss,
      healthtap,
      bwell,
      hint,
      /** Every code and token the mocks issued (to check that none reached a page). */
      issued() {
        const out = { codes: [], tokens: [] };
        for (const mock of started) {
          out.codes.push(...mock.issued.codes);
          out.tokens.push(...mock.issued.tokens);
        }
        return out;
      },
      close: () => Promise.all(started.map((mock) => mock.close())).then(() => undefined),
    };
  } catch (error) {
    await Promise.all(started.map((mock) => mock.close()));
    throw error;
  }
}
