import { z } from 'zod';

/**
 * An OAuth 2.0 token response (RFC 6749 §5.1): a string `access_token`; the rest is kept as the
 * provider sent it (providers differ: `expires_in` as a string, `refresh_token: null`, extra fields).
 */
export const tokenResponseSchema = z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().optional(),
    id_token: z.string().optional(),
  })
  .passthrough();

export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/**
 * The claims of a JWT's payload, unverified: for a token this server just received from the
 * provider's token endpoint over TLS (OpenID Connect Core §3.1.3.7 lets a client skip the
 * signature then). Undefined when it is not a JWT.
 */
export function jwtClaims(token: string | undefined): Record<string, unknown> | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
