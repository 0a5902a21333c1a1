import { mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from '../logger';
import { PGLITE_SESSION_SETUP, type DbHandle } from './index';

/**
 * PGlite is one PostgreSQL backend inside one process: only the process that opened the data
 * directory can use it. The server therefore serves its database to the project's own commands
 * (`report`, `import:appeals`, …) over a Unix socket that it announces in the data directory; the
 * commands speak the ordinary PostgreSQL wire protocol to it through postgres.js.
 *
 * Why not `@electric-sql/pglite-socket`: it runs each client message under PGlite's query mutex
 * only, so a client's statements and transactions interleave with the server's own
 * transactions (and with the server's unnamed statements between a client's Parse and Sync), and
 * it pins another PGlite version and seven extension packages as peers. Here a client holds the
 * same transaction mutex `PGlite.transaction()` takes, from its first message until it is idle
 * again (after Sync or a simple query, outside a transaction block), so each side's transactions
 * stay whole.
 */

/** The file in the data directory that tells commands where the running server serves it. */
export const ANNOUNCEMENT_FILE = 'server.json';

export interface Announcement {
  pid: number;
  /** Unix socket path (a named pipe on Windows). */
  socket: string;
  startedAt: string;
}

export interface ServeOptions {
  /** SQL that restores the server's session settings after a command disconnects. */
  sessionSetup: string;
  /** A command idle this long while holding the database (inside a transaction) is disconnected. */
  idleInTransactionMs?: number;
  onError?: (error: unknown) => void;
}

export interface PgliteService {
  socket: string;
  /** Stops accepting commands, disconnects those connected and removes the announcement. */
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Sun's sockaddr_un allows 108 bytes on Linux and 104 on macOS, including the terminator. */
const MAX_SOCKET_PATH = 100;

const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/** A PostgreSQL simple-query message ('Q'), for the clean-up statements run between clients. */
function simpleQuery(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const message = Buffer.alloc(5 + body.length);
  message.write('Q', 0, 'ascii');
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}

/** Holds PGlite's transaction mutex until the returned function is called. */
function holdTransactionMutex(pglite: PGlite): Promise<() => void> {
  return new Promise((acquired, failed) => {
    pglite
      ._runExclusiveTransaction(
        () =>
          new Promise<void>((release) => {
            acquired(release);
          }),
      )
      .catch(failed);
  });
}

function socketPathFor(dataDir: string): { path: string; cleanupDir?: string } {
  if (process.platform === 'win32') return { path: `\\\\.\\pipe\\merchant-registry-${process.pid}` };
  const inDir = join(resolve(dataDir), '.s.registry');
  if (Buffer.byteLength(inDir) <= MAX_SOCKET_PATH) return { path: inDir };
  // A deep data directory: a private (0700) directory of our own instead.
  const dir = mkdtempSync(join(tmpdir(), 'registry-'));
  return { path: join(dir, '.s.registry'), cleanupDir: dir };
}

/**
 * Serves `pglite` (opened on `dataDir`, whose lock this process holds) on a local socket and
 * announces it in `DATA_DIR/server.json`. Connections are trusted: the socket is reachable only by
 * users who may read the data directory anyway.
 */
export async function servePglite(pglite: PGlite, dataDir: string, options: ServeOptions): Promise<PgliteService> {
  const { path, cleanupDir } = socketPathFor(dataDir);
  // A socket file left by a server that crashed; we hold the data-directory lock, so it is ours.
  rmSync(path, { force: true });
  const idleMs = options.idleInTransactionMs ?? 60_000;
  const connections = new Set<Socket>();
  const ended: Promise<void>[] = [];
  const server: Server = createServer((socket) => {
    connections.add(socket);
    ended.push(
      serveConnection(pglite, socket, options.sessionSetup, idleMs)
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => connections.delete(socket)),
    );
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(path, () => {
      server.off('error', failed);
      listening();
    });
  });
  server.on('error', (error) => options.onError?.(error));

  const announcement = join(dataDir, ANNOUNCEMENT_FILE);
  const body: Announcement = { pid: process.pid, socket: path, startedAt: new Date().toISOString() };
  // Written whole or not at all: a command never reads half an announcement.
  writeFileSync(`${announcement}.tmp`, `${JSON.stringify(body)}\n`, { mode: 0o600 });
  renameSync(`${announcement}.tmp`, announcement);

  let closed: Promise<void> | undefined;
  return {
    socket: path,
    close: () =>
      (closed ??= (async () => {
        try {
          if (readAnnouncement(dataDir)?.pid === process.pid) unlinkSync(announcement);
        } catch {
          // Already gone.
        }
        const stopped = new Promise<void>((done) => server.close(() => done()));
        for (const socket of connections) socket.destroy();
        await stopped;
        // Each connection rolls back what it left open before the database closes.
        await Promise.allSettled(ended);
        rmSync(path, { force: true });
        if (cleanupDir) rmSync(cleanupDir, { recursive: true, force: true });
      })()),
  };
}

/**
 * The server's side: serves its own PGlite data directory to the commands. Nothing to do on
 * PostgreSQL or an in-memory PGlite; a failure to serve is logged and does not stop the server
 * (the commands then say that the directory is in use).
 */
export async function serveToCommands(handle: DbHandle, dataDir: string, log: Logger): Promise<PgliteService | undefined> {
  if (!handle.pglite || dataDir.startsWith('memory://')) return undefined;
  try {
    const service = await servePglite(handle.pglite, dataDir, {
      sessionSetup: PGLITE_SESSION_SETUP,
      onError: (err) => log.warn({ err }, 'command connection failed'),
    });
    log.info({ socket: service.socket }, 'serving the database to commands (report, import:appeals, …)');
    return service;
  } catch (err) {
    log.warn({ err }, 'cannot serve the database to commands; they will find it in use');
    return undefined;
  }
}

/** Reads `DATA_DIR/server.json`, or undefined when there is none (or it is unreadable). */
export function readAnnouncement(dataDir: string): Announcement | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, ANNOUNCEMENT_FILE), 'utf8')) as Partial<Announcement>;
    if (typeof parsed.pid === 'number' && typeof parsed.socket === 'string') {
      return { pid: parsed.pid, socket: parsed.socket, startedAt: String(parsed.startedAt ?? '') };
    }
  } catch {
    // Missing or being replaced: treated as no announcement.
  }
  return undefined;
}

/**
 * One command's connection: frames the wire protocol, runs complete messages on PGlite while
 * holding the database, and when the command leaves, rolls back what it left open and resets
 * the shared session.
 */
async function serveConnection(pglite: PGlite, socket: Socket, sessionSetup: string, idleMs: number): Promise<void> {
  socket.setNoDelay(true);
  let buffer: Buffer = Buffer.alloc(0);
  let startupDone = false;
  let release: (() => void) | undefined;
  let work = Promise.resolve();
  let idleTimer: NodeJS.Timeout | undefined;
  let lastWasSyncPoint = true;

  const run = async (bytes: Uint8Array, syncPoint: boolean) => {
    release ??= await holdTransactionMutex(pglite);
    if (socket.destroyed) return;
    await pglite._runExclusiveQuery(() =>
      pglite.execProtocolRawStream(bytes, {
        onRawData: (data) => {
          if (!socket.destroyed && data.length > 0) socket.write(Buffer.from(data));
        },
      }),
    );
    lastWasSyncPoint = syncPoint;
    // Idle again: let the server (and other commands) have the database.
    if (lastWasSyncPoint && !pglite.isInTransaction()) {
      release();
      release = undefined;
    }
  };

  const takeMessages = (): { bytes: Buffer; syncPoint: boolean; terminate: boolean } | undefined => {
    let offset = 0;
    let syncPoint = false;
    let terminate = false;
    while (buffer.length - offset >= 5) {
      const type = buffer[offset]!;
      const length = buffer.readInt32BE(offset + 1);
      if (buffer.length - offset < 1 + length) break;
      if (type === 0x58 /* X: Terminate */) {
        terminate = true;
        break;
      }
      offset += 1 + length;
      // S: Sync, Q: simple query; after them PostgreSQL answers ReadyForQuery.
      syncPoint = type === 0x53 || type === 0x51;
    }
    if (offset === 0 && !terminate) return undefined;
    const bytes = buffer.subarray(0, offset);
    buffer = buffer.subarray(offset);
    return { bytes, syncPoint, terminate };
  };

  const onData = async () => {
    if (!startupDone) {
      if (buffer.length < 8) return;
      const length = buffer.readInt32BE(0);
      const code = buffer.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        buffer = buffer.subarray(8);
        socket.write('N');
        return onData();
      }
      if (code === CANCEL_REQUEST) {
        // PGlite has no other backend to interrupt.
        socket.destroy();
        return;
      }
      if (buffer.length < length) return;
      const startup = buffer.subarray(0, length);
      buffer = buffer.subarray(length);
      startupDone = true;
      await run(startup, true);
    }
    for (;;) {
      const next = takeMessages();
      if (!next) return;
      if (next.bytes.length > 0) await run(next.bytes, next.syncPoint);
      if (next.terminate) {
        socket.end();
        return;
      }
    }
  };

  const armIdleTimer = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      // A command that holds the database and says nothing would stop the server's own work.
      if (release) socket.destroy();
    }, idleMs);
    idleTimer.unref();
  };

  await new Promise<void>((closed) => {
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      armIdleTimer();
      work = work.then(onData).catch((error: unknown) => {
        socket.destroy();
        throw error;
      });
      work.catch(() => undefined);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => closed());
  });
  clearTimeout(idleTimer);
  let failure: unknown;
  await work.catch((error: unknown) => {
    failure = error;
  });
  // The connection is gone; whatever it left open must not leak into the server's session.
  if (startupDone && !pglite.closed) {
    release ??= await holdTransactionMutex(pglite);
    try {
      await pglite._runExclusiveQuery(async () => {
        // Cut off mid-pipeline: a Sync ends the extended-protocol exchange (and any error state).
        if (!lastWasSyncPoint) await pglite.execProtocolRaw(SYNC);
        if (pglite.isInTransaction()) await pglite.execProtocolRaw(simpleQuery('ROLLBACK'));
        // Separately: DISCARD ALL refuses to run in the implicit block of a multi-statement query.
        await pglite.execProtocolRaw(simpleQuery('DISCARD ALL'));
        await pglite.execProtocolRaw(simpleQuery(sessionSetup));
      });
    } finally {
      release();
    }
  } else {
    release?.();
  }
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what the work threw, as it was
  if (failure) throw failure;
}
