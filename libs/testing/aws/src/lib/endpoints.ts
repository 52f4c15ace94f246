/**
 * Local stand-ins for an AWS endpoint that misbehaves, for deadline tests (point the SDK at them with
 * `AWS_ENDPOINT_URL=<url>`):
 * - {@link silentEndpoint}: accepts TCP connections and never answers (a black-holed proxy, a hung load balancer);
 * - {@link failingEndpoint}: an HTTP server answering every request with 500 or a throttling error (429), in turn.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface LocalEndpoint {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Connections accepted (silent) or requests answered (failing) so far. */
  readonly hits: () => number;
  close(): Promise<void>;
}

function closeWith(server: Server | HttpServer, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

/** A TCP listener that accepts connections, reads whatever comes, and never writes a byte. */
export async function silentEndpoint(): Promise<LocalEndpoint> {
  const sockets = new Set<Socket>();
  let hits = 0;
  const server = createServer((socket) => {
    hits++;
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits, close: closeWith(server, sockets) };
}

/**
 * An HTTP server that answers 500 (InternalFailure) and 429 (ThrottlingException) in turn, with a body in each
 * protocol's error shape the SDK recognises (JSON `__type`, XML `<Code>`).
 */
export async function failingEndpoint(): Promise<LocalEndpoint> {
  const sockets = new Set<Socket>();
  let hits = 0;
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const throttle = hits++ % 2 === 1;
      const code = throttle ? 'ThrottlingException' : 'InternalFailure';
      const message = throttle ? 'Rate exceeded' : 'We encountered an internal error. Please try again.';
      const json = /json|cbor/.test(String(req.headers['content-type'] ?? '')) || /^\/2015-03-31\//.test(req.url ?? '');
      const body = json
        ? JSON.stringify({ __type: code, message })
        : `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>local</RequestId></ErrorResponse>`;
      res.writeHead(throttle ? 429 : 500, { 'content-type': json ? 'application/x-amz-json-1.1' : 'text/xml', 'x-amzn-errortype': code, 'x-amzn-requestid': 'local' });
      res.end(body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits, close: closeWith(server, sockets) };
}
