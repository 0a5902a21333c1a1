import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, print } from 'graphql';
import type { TokenClaims } from '../../src/auth/tokens';
import { merchantIdForUscc, UUID_PATTERN } from '../../src/domain/ids';
import { drivers } from '../helpers/drivers';
import { authHeader, startTestServer, TEST_AUTH_SECRET, type TestServer } from '../helpers/server';

/**
 * Every command and query of README.md runs as written, so the README cannot drift from the API.
 *
 * - ```graphql blocks: each operation is sent on its own, in README order, as the viewer named by
 *   the last `# as …` comment before it in its block (`# as SUPERVISOR 421303[,421321]`,
 *   `# as MERCHANT <uscc or id>`, `# as ADMIN`, `# as PUBLIC`; none: the public). It must answer
 *   without errors, unless the comment lines just before it say `# expect CODE`: then every error
 *   carries that code, and a query still answers its other fields.
 * - ```sh blocks that talk to the server (they contain `localhost:4000`) run with bash in the
 *   repository, against the test server, with AUTH_SECRET set to the test secret so that
 *   `npm run -s token` makes tokens it accepts. They must exit 0 and print no `"errors"`.
 * - Every other ```sh block must match one of NOT_RUN below, which says why it cannot run in a
 *   test; a block matching none fails the test, so a new command is either run or excused here.
 * - ```js blocks are not run: they need `npm i graphql-ws ws` in the reader's project, and the
 *   subscriptions they show are tested in live.test.ts.
 */

const ROOT = join(__dirname, '..', '..');

/** Commands a test cannot run as written, and why. Matched against each non-comment line. */
const NOT_RUN: { pattern: RegExp; why: string }[] = [
  { pattern: /^npm ci && npm (start|test)$/, why: 'installs the dependencies and starts a server or the whole suite' },
  { pattern: /^createdb /, why: 'creates a database on the reader’s PostgreSQL server' },
  { pattern: /^export AUTH_SECRET=\$\(openssl rand -hex 32\)$/, why: 'makes the secret of the reader’s PostgreSQL server (the test server has its own)' },
  { pattern: /^DATABASE_URL=\S+ npm start$/, why: 'starts a server on the reader’s PostgreSQL database' },
  { pattern: /^TEST_DATABASE_URL=\S+ npm test$/, why: 'runs the whole test suite' },
  { pattern: /^bash \.ci\/run$/, why: 'is CI itself' },
  {
    pattern: /^npm run (report|import:appeals|ratings:recompute|db:migrate|db:seed) /,
    why: 'writes to the database of a running `npm start` (tested in cli-beside-server.test.ts, report.test.ts, ratings-cli.test.ts, appeal-import.test.ts)',
  },
  { pattern: /^npm start$/, why: 'starts a server' },
  { pattern: /^npm run example:live$/, why: 'follows a live feed until stopped (its resuming is tested in live.log.test.ts)' },
];

interface Block {
  lang: string;
  body: string;
  line: number;
}

function readmeBlocks(): Block[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks: Block[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(text); match; match = fence.exec(text)) {
    blocks.push({ lang: match[1]!, body: match[2]!, line: text.slice(0, match.index).split('\n').length });
  }
  return blocks;
}

interface Operation {
  source: string;
  viewer: string;
  expect: string | null;
  where: string;
}

/** The operations of a graphql block, each with its viewer and expected refusal. */
function operationsOf(block: Block): Operation[] {
  const document = parse(block.body);
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => print(d));
  const operations: Operation[] = [];
  let viewer = 'PUBLIC';
  let previousEnd = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const start = definition.loc!.start;
    const comments = block.body
      .slice(previousEnd, start)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('#'));
    let expected: string | null = null;
    for (const comment of comments) {
      const as = /^#\s*as\s+(.+)$/.exec(comment);
      if (as) viewer = as[1]!.trim();
      const expect = /^#\s*expect\s+([A-Z_]+)/.exec(comment);
      if (expect) expected = expect[1]!;
    }
    operations.push({
      source: [block.body.slice(start, definition.loc!.end), ...fragments].join('\n'),
      viewer,
      expect: expected,
      where: `README.md line ${block.line + block.body.slice(0, start).split('\n').length}: ${(definition).operation}`,
    });
    previousEnd = definition.loc!.end;
  }
  return operations;
}

/** The token claims of a README viewer comment. */
function claimsOf(viewer: string): TokenClaims | null {
  const [role, scope] = viewer.split(/\s+/);
  if (role === 'PUBLIC') return null;
  if (role === 'ADMIN') return { sub: 'readme:admin', role: 'ADMIN' };
  if (role === 'SUPERVISOR' && scope) return { sub: `readme:supervisor:${scope}`, role: 'SUPERVISOR', regions: scope.split(',') };
  if (role === 'MERCHANT' && scope) {
    const ids = scope.split(',').map((s) => (UUID_PATTERN.test(s) ? s.toLowerCase() : merchantIdForUscc(s)));
    return { sub: `readme:merchant:${scope}`, role: 'MERCHANT', merchantIds: ids };
  }
  throw new Error(`README viewer comment not understood: "# as ${viewer}"`);
}

function runShell(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const blocks = readmeBlocks();

describe('README.md', () => {
  it('has only blocks this test runs or excuses by NOT_RUN', () => {
    const unexcused: string[] = [];
    for (const block of blocks.filter((b) => b.lang === 'sh' && !b.body.includes('localhost:4000'))) {
      const lines = block.body.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l && !l.startsWith('#'));
      for (const line of lines) if (!NOT_RUN.some((n) => n.pattern.test(line))) unexcused.push(`line ${block.line}: ${line}`);
    }
    expect(unexcused).toEqual([]);
    expect(blocks.filter((b) => b.lang === 'graphql').length).toBeGreaterThan(5);
    for (const block of blocks.filter((b) => !['graphql', 'sh', 'js', ''].includes(b.lang))) {
      throw new Error(`README.md line ${block.line}: a \`\`\`${block.lang} block; run it here or say why not`);
    }
  });
});

describe.each(drivers)('every README operation and server command on %s', (driver) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(driver);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  // One test walks the README in order: later blocks use what earlier ones created.
  it('runs as written, in order', async () => {
    const address = new URL(server.url).host;
    const failures: string[] = [];
    let ran = 0;
    for (const block of blocks) {
      if (block.lang === 'graphql') {
        for (const op of operationsOf(block)) {
          const claims = claimsOf(op.viewer);
          const headers = claims ? await authHeader(claims) : {};
          const { data, errors } = await server.gql(op.source, undefined, headers);
          ran++;
          if (op.expect) {
            const codes = (errors ?? []).map((e) => e.extensions?.code);
            if (codes.length === 0 || codes.some((c) => c !== op.expect)) failures.push(`${op.where} as ${op.viewer}: expected ${op.expect}, got ${JSON.stringify(errors ?? data)}`);
            // A query refused on one field keeps the rest of its answer (the README says so).
            if (op.where.endsWith('query') && !Object.values(data ?? {}).some((v) => v !== null)) failures.push(`${op.where}: the refusal blanked the answer`);
          } else if (errors) {
            failures.push(`${op.where} as ${op.viewer}: ${JSON.stringify(errors)}`);
          }
        }
      } else if (block.lang === 'sh' && block.body.includes('localhost:4000')) {
        const script = block.body.replaceAll('localhost:4000', address);
        const { code, stdout, stderr } = await runShell(script, { AUTH_SECRET: TEST_AUTH_SECRET, DATABASE_URL: '', NODE_ENV: 'development' });
        ran++;
        if (code !== 0 || stdout.includes('"errors"')) failures.push(`README.md sh block at line ${block.line}: exit ${code}\n${stdout}\n${stderr}`);
      }
    }
    expect(failures).toEqual([]);
    expect(ran).toBeGreaterThan(10);
  }, 600_000);
});
