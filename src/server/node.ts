/**
 * `toNodeListener(handler)`: the fetch-style handler as a `node:http` request listener (also
 * Express / Connect middleware). No Node import: the server entry runs in any runtime with web
 * `Request` / `Response`.
 */
export interface NodeRequest {
  destroy?(): unknown;
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** A body an earlier middleware parsed already (Express `express.json()`). */
  readonly body?: unknown;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

export interface NodeResponse {
  writeHead(status: number, headers: Record<string, string | string[]>): unknown;
  end(body?: Uint8Array | string): unknown;
  /** `close`: the response ended, or its connection went away first. */
  on?(event: 'close', listener: () => void): unknown;
  /** True once `end()` was called. */
  readonly writableEnded?: boolean;
}

const LIMIT = 64 * 1024;

export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
): (req: NodeRequest, res: NodeResponse) => void {
  return (req, res) => {
    // The client going away aborts the request's signal (a long-poll stops waiting). The
    // response tells: the request's own `close` comes as soon as its body was read (Node ≥ 16).
    const gone = new AbortController();
    res.on?.('close', () => {
      if (!res.writableEnded) gone.abort();
    });
    const respond = async (body: BodyInit | undefined) => {
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (key.startsWith(':')) continue; // HTTP/2 pseudo-headers (:authority, :path …)
        for (const v of typeof value === 'string' ? [value] : (value ?? [])) headers.append(key, v);
      }
      const authority = req.headers[':authority'];
      const host = headers.get('host') ?? (typeof authority === 'string' ? authority : 'localhost');
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', `http://${host}`);
      const request = new Request(url, {
        method,
        headers,
        signal: gone.signal,
        ...(method === 'GET' || method === 'HEAD' || body === undefined ? {} : { body }),
      });
      const response = await handler(request);
      const out: Record<string, string | string[]> = Object.fromEntries(response.headers);
      const cookies = response.headers.getSetCookie();
      if (cookies.length) out['set-cookie'] = cookies;
      res.writeHead(response.status, out);
      res.end(new Uint8Array(await response.arrayBuffer()));
    };
    const fail = () => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":"invalid_request","error_description":"The body could not be read."}');
    };
    if (req.body !== undefined && req.body !== null) {
      const body = req.body;
      // express.json() (an object), express.text() (a string), express.raw() (bytes)
      const given =
        typeof body === 'string'
          ? body
          : body instanceof Uint8Array
            ? new TextDecoder().decode(body)
            : JSON.stringify(body);
      void respond(given).catch(fail);
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= LIMIT) chunks.push(chunk);
      else if (size - chunk.length <= LIMIT) {
        res.writeHead(413, { 'content-type': 'application/json' });
        res.end('{"error":"invalid_request","error_description":"The body is too large."}');
        req.destroy?.();
      }
    });
    req.on('error', fail);
    req.on('end', () => {
      if (size > LIMIT) return; // answered 413 already
      const body = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        body.set(chunk, at);
        at += chunk.length;
      }
      void respond(size ? body : undefined).catch(fail);
    });
  };
}
