import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../../src/limits/request';

const request = (remoteAddress: string, forwarded?: string) =>
  ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;

describe('the client address of a WebSocket', () => {
  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress(request('10.0.0.5', '203.0.113.9'), 0)).toBe('10.0.0.5');
  });

  it('is read that many hops back along X-Forwarded-For behind trusted proxies', () => {
    expect(clientAddress(request('10.0.0.5', '198.51.100.1, 203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientAddress(request('10.0.0.5', '198.51.100.1, 203.0.113.9'), 2)).toBe('198.51.100.1');
    // Fewer addresses than hops: the furthest one.
    expect(clientAddress(request('10.0.0.5', '203.0.113.9'), 3)).toBe('203.0.113.9');
    expect(clientAddress(request('10.0.0.5'), 1)).toBe('10.0.0.5');
  });
});
