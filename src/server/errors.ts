/** An error the handler answers with: HTTP status, OAuth-style `error` and `error_description`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

/** A JSON response (`no-store`: answers carry connection results, never to be cached). */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

export function errorResponse(error: HttpError): Response {
  return json(error.status, { error: error.error, error_description: error.description });
}
