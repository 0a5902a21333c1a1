/**
 * A loopback TCP proxy in front of PostgreSQL that counts the statements clients send.
 * pg_stat_statements is not loaded on this machine and pg_stat_database counts transactions
 * (flushed lazily), so the bench reads the wire instead: every simple Query ('Q') and every
 * Execute ('E') of the extended protocol is one statement run. Used only in the counting phase,
 * never while throughput is measured.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** Counts frontend messages on one connection; the first message (startup or SSLRequest) has no type byte. */
export class FrontendMessageCounter {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  statements = 0;

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        this.buffer = this.buffer.subarray(length);
        // SSLRequest / GSSENCRequest are followed by the real startup message.
        if (code !== 80877103 && code !== 80877104) this.started = true;
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = this.buffer.readInt32BE(1);
      if (this.buffer.length < 1 + length) return;
      const type = String.fromCharCode(this.buffer[0]!);
      if (type === 'Q' || type === 'E') this.statements++;
      this.buffer = this.buffer.subarray(1 + length);
    }
  }
}

/** The proxy: `port` to connect to, `statements()` so far, `close()`. */
export interface StatementCounter {
  port: number;
  statements(): number;
  close(): Promise<void>;
}

/** Starts a counting proxy on 127.0.0.1 (a free port) forwarding to `target`. */
export async function startStatementCounter(target: { host: string; port: number }): Promise<StatementCounter> {
  const counters: FrontendMessageCounter[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const counter = new FrontendMessageCounter();
    counters.push(counter);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      counter.push(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    statements: () => counters.reduce((s, c) => s + c.statements, 0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
