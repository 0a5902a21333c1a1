import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type DataLoader from 'dataloader';
import { waveLoader, type LoadWaves } from '../common/load-waves';
import { BadUserInputError } from '../errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ description: 'Relay-style page information.' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** A number, or (given as a function to toConnection) a count run only if the field is asked for. */
  totalCount: number | Promise<number>;
}

/** Declares `<Name>Edge` and `<Name>Connection` GraphQL types for a node type. */
export function connectionTypes<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field({ description: 'Opaque cursor; pass it as `after` to continue after this edge.' })
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'How many nodes match the filter, over all pages.' })
    totalCount!: number;
  }

  return { EdgeType, ConnectionType };
}

/** Checks `first`: from 1 to MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE when omitted. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be from 1 to ${MAX_PAGE_SIZE}, got ${first}`, 'first');
  }
  return first;
}

/** Cursors are opaque to clients: base64url of the sort key's values. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** Reads a cursor made by `encodeCursor` with `arity` values; anything else is BAD_USER_INPUT on `after`. */
export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return values;
    }
  } catch {
    // fall through to the error below
  }
  throw new BadUserInputError('after is not a cursor returned by this list', 'after');
}

/**
 * Builds a connection from `limit + 1` rows fetched after the cursor: the extra row only tells
 * whether a next page exists.
 */
export function toConnection<T>(
  rows: T[],
  limit: number,
  totalCount: number | (() => Promise<number>),
  cursorOf: (row: T) => string,
  hasPreviousPage: boolean,
): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  const connection = {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  } as Connection<T>;
  if (typeof totalCount === 'number') {
    connection.totalCount = totalCount;
  } else {
    // Counting every match costs a scan of its own: only a selection of totalCount pays for it.
    let counted: Promise<number> | undefined;
    Object.defineProperty(connection, 'totalCount', { enumerable: true, get: () => (counted ??= totalCount()) });
  }
  return connection;
}

/** The page of one parent's list a field asks for: `limit` checked by `pageSize`, `after` by the list's service. */
export interface PageRequest<F = undefined> {
  parentId: string;
  limit: number;
  after: string | null;
  /**
   * What else the rows must satisfy, when it depends on the request (the viewer's visibility):
   * one object per request scope, since requests are batched only with those of the same one.
   */
  filter?: F;
}

/** One row of a statement that reads the pages of many parents: the parent, its total, one node (null for a parent without any). */
export interface ParentPageRow<T> {
  parentId: string;
  total: number;
  node: T | null;
}

/** Reads the pages of `parentIds`, one statement: see `pageLoader`. */
export type FetchPages<T, F> = (parentIds: string[], limit: number, after: string | null, filter: F | undefined) => Promise<ParentPageRow<T>[]>;

/**
 * A per-request DataLoader of one page per parent (the first 20 complaints of every merchant of
 * a page): one call of `fetch` per distinct (limit, after, filter), however many parents ask.
 */
export function pageLoader<T, F = undefined>(waves: LoadWaves, fetch: FetchPages<T, F>, cursorOf: (node: T) => string): DataLoader<PageRequest<F>, Connection<T>, string> {
  const filterIds = new Map<F | undefined, number>();
  const filterId = (filter: F | undefined) => {
    if (!filterIds.has(filter)) filterIds.set(filter, filterIds.size);
    return filterIds.get(filter)!;
  };
  const keyOf = (request: PageRequest<F>) => JSON.stringify([request.limit, request.after, filterId(request.filter)]);
  return waveLoader<PageRequest<F>, Connection<T>, string>(
    waves,
    async (requests) => {
      const groups = new Map<string, PageRequest<F>[]>();
      for (const request of requests) {
        const key = keyOf(request);
        groups.set(key, [...(groups.get(key) ?? []), request]);
      }
      const pages = new Map<PageRequest<F>, Connection<T>>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const { limit, after, filter } = group[0]!;
          const rows = await fetch([...new Set(group.map((r) => r.parentId))], limit, after, filter);
          const byParent = new Map<string, { total: number; nodes: T[] }>();
          for (const row of rows) {
            const entry = byParent.get(row.parentId) ?? { total: Number(row.total), nodes: [] };
            if (row.node) entry.nodes.push(row.node);
            byParent.set(row.parentId, entry);
          }
          for (const request of group) {
            const { total, nodes } = byParent.get(request.parentId) ?? { total: 0, nodes: [] };
            pages.set(request, toConnection(nodes, limit, total, cursorOf, Boolean(after)));
          }
        }),
      );
      return requests.map((r) => pages.get(r)!);
    },
    { cacheKeyFn: (request) => `${request.parentId} ${keyOf(request)}` },
  );
}
