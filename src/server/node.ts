/**
 * `toNodeListener(handler)`: the fetch-style handler as a `node:http` request listener (also
 * Express / Connect middleware). No Node import: the server entry runs in any runtime with web
 * `Request` / `Response`.
 */
export interface NodeRequest {
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
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: Uint8Array | string): unknown;
}

const LIMIT = 64 * 1024;

export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
): (req: NodeRequest, res: NodeResponse) => void {
  return (req, res) => {
    const respond = async (body: BodyInit | undefined) => {
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        for (const v of typeof value === 'string' ? [value] : (value ?? [])) headers.append(key, v);
      }
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', `http://${headers.get('host') ?? 'localhost'}`);
      const request = new Request(url, {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' || body === undefined ? {} : { body }),
      });
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(new Uint8Array(await response.arrayBuffer()));
    };
    const fail = () => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":"invalid_request","error_description":"The body could not be read."}');
    };
    if (req.body !== undefined) {
      void respond(typeof req.body === 'string' ? req.body : JSON.stringify(req.body)).catch(fail);
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= LIMIT) chunks.push(chunk);
    });
    req.on('error', fail);
    req.on('end', () => {
      if (size > LIMIT) {
        res.writeHead(413, { 'content-type': 'application/json' });
        res.end('{"error":"invalid_request","error_description":"The body is too large."}');
        return;
      }
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
