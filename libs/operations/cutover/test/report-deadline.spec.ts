import { createServer, type Server, type Socket } from 'node:net';
import { putReport, reportClient } from '../src';

// `data verify --report-url s3://…` uploads through this client: against an endpoint that accepts the connection and
// never answers, the upload must fail by its request timeout, not hang (the SDK only warns unless told to throw).
describe('the report upload has a deadline', () => {
  let server: Server;
  const sockets: Socket[] = [];
  const saved = { ...process.env };
  beforeAll(async () => {
    server = createServer((s) => sockets.push(s)); // accepts, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    Object.assign(process.env, { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    delete process.env.AWS_PROFILE;
  });
  afterAll(async () => {
    process.env = saved;
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('rejects, naming the object, when the endpoint never answers', async () => {
    const s3 = reportClient('us-east-1', { requestTimeoutMs: 500, maxAttempts: 1 });
    const started = Date.now();
    await expect(putReport('s3://reports/verify.json', '{}', { s3 })).rejects.toThrow(/s3:\/\/reports\/verify\.json/);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);
});
