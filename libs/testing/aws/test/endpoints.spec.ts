import { request } from 'node:http';
import { connect } from 'node:net';
import { failingEndpoint, silentEndpoint, testContract } from '../src';
import { parseStackContract } from '@bluegreen/contract';

describe('local AWS stand-ins', () => {
  it('the silent endpoint accepts a connection and sends nothing', async () => {
    const e = await silentEndpoint();
    try {
      const got = await new Promise<string>((resolve) => {
        const s = connect(Number(new URL(e.url).port), '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
        let data = '';
        s.on('data', (d) => (data += d.toString()));
        setTimeout(() => {
          s.destroy();
          resolve(data);
        }, 300);
      });
      expect(got).toBe('');
      expect(e.hits()).toBe(1);
    } finally {
      await e.close();
    }
  });

  it('the failing endpoint answers 500 then 429 throttling', async () => {
    const e = await failingEndpoint();
    try {
      const status = () => new Promise<number>((resolve, reject) => request(e.url, { method: 'POST' }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject).end('x'));
      expect([await status(), await status(), await status()]).toEqual([500, 429, 500]);
    } finally {
      await e.close();
    }
  });

  it('the test contract is a valid stack contract', () => {
    expect(parseStackContract(testContract(), 'test').defaultService).toBe('monolith');
  });
});
