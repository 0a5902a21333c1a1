import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { drivers } from '../helpers/drivers';
import { startTestServer, type TestServer } from '../helpers/server';

describe.each(drivers)('server on %s', (driver) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(driver);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const base = () => server.url.replace(/\/graphql$/, '');

  it('reports the process up on /healthz', async () => {
    const response = await fetch(`${base()}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('reports the database reachable on /readyz', async () => {
    const response = await fetch(`${base()}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', database: driver, events: 'listening' });
  });

  it('answers GraphQL over graphql-ws on the same port and path', async () => {
    const client = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const result = await new Promise<any>((resolve, reject) => {
        let value: unknown;
        client.subscribe(
          { query: '{ merchants(first: 1) { totalCount } }' },
          { next: (v) => (value = v), error: reject, complete: () => resolve(value) },
        );
      });
      expect(result.data.merchants.totalCount).toBeGreaterThan(2000);
    } finally {
      await client.dispose();
    }
  });

  it('refuses a malformed query with a GraphQL error code', async () => {
    const { errors } = await server.gql('{ merchants(first: 1) { nope } }');
    expect(errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe.each(drivers)('server with a lost database on %s', (driver) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(driver);
    await server.handle.close();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('says so on /readyz while /healthz stays up', async () => {
    const base = server.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  // postgres.js says its pool has ended (CONNECTION_ENDED): the database is unavailable to this
  // node, which another node may serve; a closed PGlite is an unexpected state of this process.
  it(`masks the database error without details, as ${driver === 'postgres' ? 'a retryable SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR'}`, async () => {
    const { data, errors } = await server.gql('{ merchants(first: 1) { totalCount } }');
    expect(data).toBeNull();
    expect(errors).toEqual([
      driver === 'postgres'
        ? expect.objectContaining({ message: expect.not.stringMatching(/CONNECTION|127\.0\.0\.1|select/i), extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } })
        : expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ]);
  });
});
