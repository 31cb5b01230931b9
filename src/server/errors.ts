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

/**
 * A JSON POST of at most `max` bytes, parsed (405 / 415 / 413 / 400 otherwise). A JSON content
 * type also keeps cross-site HTML forms out: they cannot send one.
 */
export async function readJsonPost(request: Request, max: number): Promise<unknown> {
  if (request.method !== 'POST') throw new HttpError(405, 'invalid_request', 'Use POST.');
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
    throw new HttpError(415, 'invalid_request', 'Send application/json.');
  }
  const raw = await readLimited(request, max);
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_request', 'The body is not JSON.');
  }
}

/**
 * The request's body as text, refused (413) beyond `max` bytes — by its Content-Length before
 * reading, and while reading for a body that did not say.
 */
async function readLimited(request: Request, max: number): Promise<string> {
  const tooLarge = () => new HttpError(413, 'invalid_request', 'The body is too large.');
  if (Number(request.headers.get('content-length') ?? 0) > max) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      void reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
