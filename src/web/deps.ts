import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import type { Viewer } from '../auth/viewer';
import type { TokenVerifier } from '../auth/tokens';
import type { Logger } from '../logger';
import type { Labels } from './labels';

/** An answer of the schema, as a client over HTTP would get it (errors already masked). */
export interface OperationResult<T> {
  data?: T | null;
  errors?: readonly GraphQLFormattedError[];
}

/** The request a page is rendered for: its viewer is the page's signed-in user or the public. */
export interface PageRequest {
  req: IncomingMessage;
  res: ServerResponse;
  viewer: Viewer;
}

/**
 * Runs one operation on the server's own schema in process, through Apollo with the same
 * plugins (limits, input guard, error masking) and a context built as for a /graphql request,
 * so a page can never show what the API would not answer.
 */
export type RunOperation = <T>(operation: { query: string; variables?: Record<string, unknown> }, request: PageRequest) => Promise<OperationResult<T>>;

/** What the web layer needs from the app. */
export interface WebDeps {
  run: RunOperation;
  labels: Labels;
  verify: TokenVerifier;
  log: Logger;
  /** Where `web/build.mjs` put the built scripts and styles (served under /assets). */
  assetsDir: string;
  /** Serve /graphiql (off under NODE_ENV=production unless GRAPHIQL=true). */
  graphiql: boolean;
}

/** The first error's message, for a page to show as the API worded it. */
export function firstError(result: OperationResult<unknown>): { message: string; code?: string } | undefined {
  const error = result.errors?.[0];
  if (!error) return undefined;
  const code = error.extensions?.code;
  return { message: error.message, code: typeof code === 'string' ? code : undefined };
}
