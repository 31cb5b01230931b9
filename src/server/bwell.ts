/**
 * b.well health.network: no code to redeem. The element's `url-endpoint` asks this server for the
 * URL to open, which it gets from `getOauthUrl(connectionId)` with the user's b.well token; the
 * completion is a `status` the element reports to its `exchange-url`.
 */
import { z } from 'zod';
import { HttpError } from './errors.js';
import { callProvider, type Outbound } from './outbound.js';

export interface BwellProvider {
  /** The GraphQL endpoint of your b.well environment, e.g. `https://api.client-sandbox.icanbwell.com/v1/graphql`. */
  readonly graphqlUrl: string;
  /** The signed-in user's b.well token, from your session (it never comes from the browser). */
  readonly userToken: (request: Request) => string | Promise<string>;
}

const QUERY = `query getOauthUrl($connectionId: String!) {
  getOauthUrl(connectionId: $connectionId) { redirectUrl }
}`;

const answer = z.object({
  data: z
    .object({ getOauthUrl: z.object({ redirectUrl: z.string().url() }) })
    .nullable()
    .optional(),
  errors: z.array(z.object({ message: z.string() }).passthrough()).optional(),
});

export async function bwellOauthUrl(
  config: BwellProvider,
  connectionId: string | undefined,
  request: Request,
  out: Outbound,
): Promise<{ url: string }> {
  if (!connectionId) throw new HttpError(400, 'invalid_request', 'connectionId is required.');
  let token: string;
  try {
    token = await config.userToken(request);
  } catch {
    throw new HttpError(401, 'unauthorized', 'No b.well session for this user.');
  }
  if (!token) throw new HttpError(401, 'unauthorized', 'No b.well session for this user.');
  const result = await callProvider(
    out,
    'b.well',
    config.graphqlUrl,
    {
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ query: QUERY, variables: { connectionId } }),
    },
    answer,
  );
  const url = result.data?.getOauthUrl.redirectUrl;
  if (!url) {
    const message = result.errors?.[0]?.message.slice(0, 300) ?? 'b.well gave no URL.';
    throw new HttpError(400, 'invalid_request', message);
  }
  return { url };
}
