import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/util/project-root';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** Every JSON log line the process printed so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the exit code and how long the process took to exit after `signal`. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

/**
 * Starts `src/index.ts` (the real entry point) in its own process and resolves once it logs
 * `until`: `listening` (the port is open, start-up may still run) or `ready` (serving). Rejects
 * with its output if it exits first.
 */
export function startServerProcess(env: Record<string, string>, timeoutMs = 45_000, until: 'listening' | 'ready' = 'ready'): Promise<ServerProcess> {
  const root = projectRoot();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'src', 'index.ts')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let output = '';
  let buffered = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        logs.push(entry);
        if (entry.msg === until) {
          clearTimeout(timer);
          resolve({
            child,
            port: entry.port as number,
            logs,
            stop: async (signal = 'SIGTERM') => {
              const started = Date.now();
              child.kill(signal);
              const code = await exited;
              return { code, ms: Date.now() - started };
            },
          });
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
}

/** Runs one of the project's CLIs (`src/cli/<name>.ts`) from source and collects its output. */
export function runCli(
  name: string,
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const root = projectRoot();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'src', 'cli', `${name}.ts`), ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, exited };
}
