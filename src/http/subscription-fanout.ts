import {
  getOperationAST,
  Kind,
  OperationTypeNode,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type OperationDefinitionNode,
} from 'graphql';

type SubscribeResult = AsyncIterable<ExecutionResult> | ExecutionResult;

export interface FanoutOptions<C> {
  /** graphql's `subscribe` (guarded): run once per channel. */
  subscribe: (args: ExecutionArgs) => SubscribeResult | Promise<SubscribeResult>;
  /**
   * Who may see what, as a key: subscribers with the same document, variables and audience see
   * the same results. Everything the resolvers decide by must be in it.
   */
  audienceOf: (context: C) => string;
  /** The context a channel executes in: made from its first subscriber's, but owned by no socket. */
  channelContext: (context: C) => C;
  /** Whether this subscriber may still receive a result (a token expires): false ends it with `refusal`. */
  admits: (context: C) => boolean;
  refusal: () => Error;
}

/** The figures /readyz shows: subscriptions by root field, and the executions serving them. */
export interface FanoutStats {
  subscriptions: Record<string, number>;
  executions: number;
}

interface Member {
  push(result: ExecutionResult): void;
  fail(error: unknown): void;
  end(): void;
}

interface Channel {
  members: Set<Member>;
  /** Resolves once the shared execution has started (or failed to, with its result). */
  ready: Promise<SubscribeResult>;
  close(): void;
}

const printed = new WeakMap<DocumentNode, string>();
function textOf(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are one key. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The root field a subscription asks for (a subscription has exactly one). */
function rootFieldOf(operation: OperationDefinitionNode): string {
  const first = operation.selectionSet.selections[0];
  return first?.kind === Kind.FIELD ? first.name.value : 'unknown';
}

/**
 * Whether the subscription resumes from a cursor (`after` given, inline or as a variable): its
 * replay is its own, so it executes alone rather than joining subscribers that are already live.
 */
function resumes(operation: OperationDefinitionNode, variables: ExecutionArgs['variableValues']): boolean {
  const first = operation.selectionSet.selections[0];
  if (first?.kind !== Kind.FIELD) return false;
  const after = first.arguments?.find((a) => a.name.value === 'after');
  if (!after) return false;
  if (after.value.kind === Kind.NULL) return false;
  if (after.value.kind === Kind.VARIABLE) return variables?.[after.value.name.value] != null;
  return true;
}

/**
 * One execution per event and audience: graphql-ws subscribers whose document, variables and
 * audience (`audienceOf`) are the same join one channel, whose single subscription executes each
 * event once; every subscriber receives the same result object. A subscriber leaving detaches at
 * once (and stops counting); the last one leaving ends the execution.
 */
export function createFanout<C>(options: FanoutOptions<C>) {
  const channels = new Map<string, Channel>();
  const counts = new Map<string, number>();
  let solo = 0;

  const count = (field: string, delta: number) => counts.set(field, (counts.get(field) ?? 0) + delta);

  function open(key: string, args: ExecutionArgs): Channel {
    const members = new Set<Member>();
    let iterator: AsyncIterator<ExecutionResult> | undefined;
    let closed = false;
    const channel: Channel = {
      members,
      ready: Promise.resolve(options.subscribe({ ...args, contextValue: options.channelContext(args.contextValue as C) })),
      close() {
        if (closed) return;
        closed = true;
        if (channels.get(key) === channel) channels.delete(key);
        void iterator?.return?.();
      },
    };
    channels.set(key, channel);
    void channel.ready.then(
      async (result) => {
        if (!(Symbol.asyncIterator in result)) {
          // Refused at subscription: every member waiting gets the refusal, and the key is free again.
          channel.close();
          return;
        }
        iterator = result[Symbol.asyncIterator]();
        if (closed) {
          void iterator.return?.();
          return;
        }
        try {
          for (;;) {
            const next = await iterator.next();
            if (next.done || closed) break;
            for (const member of members) member.push(next.value);
          }
          for (const member of members) member.end();
        } catch (error) {
          for (const member of members) member.fail(error);
        } finally {
          channel.close();
        }
      },
      (error: unknown) => {
        channel.close();
        for (const member of members) member.fail(error);
      },
    );
    return channel;
  }

  function join(channel: Channel, field: string, context: C): AsyncIterableIterator<ExecutionResult> {
    const queue: ExecutionResult[] = [];
    let waiting: { resolve: (r: IteratorResult<ExecutionResult>) => void; reject: (e: unknown) => void } | undefined;
    let failure: unknown;
    let ended = false;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      count(field, -1);
      channel.members.delete(member);
      if (channel.members.size === 0) channel.close();
    };
    const settle = () => {
      if (!waiting) return;
      const w = waiting;
      if (queue.length) {
        waiting = undefined;
        w.resolve({ value: queue.shift()!, done: false });
      } else if (failure !== undefined) {
        waiting = undefined;
        leave();
        w.reject(failure);
      } else if (ended) {
        waiting = undefined;
        leave();
        w.resolve({ value: undefined, done: true });
      }
    };
    const member: Member = {
      push(result) {
        if (left) return;
        // A token that expired since subscribing ends this subscriber only, before anything reaches it.
        if (!options.admits(context)) {
          member.fail(options.refusal());
          return;
        }
        queue.push(result);
        settle();
      },
      fail(error) {
        failure ??= error;
        queue.length = 0;
        settle();
      },
      end() {
        ended = true;
        settle();
      },
    };
    channel.members.add(member);
    count(field, 1);
    return {
      next() {
        return new Promise((resolve, reject) => {
          waiting = { resolve, reject };
          settle();
        });
      },
      return() {
        leave();
        queue.length = 0;
        if (waiting) {
          const w = waiting;
          waiting = undefined;
          w.resolve({ value: undefined, done: true });
        }
        return Promise.resolve({ value: undefined, done: true });
      },
      throw(error?: unknown) {
        leave();
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  return {
    /** graphql-ws's `subscribe`: joins (or opens) the channel of this document, variables and audience. */
    async subscribe(args: ExecutionArgs): Promise<SubscribeResult> {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation || operation.operation !== OperationTypeNode.SUBSCRIPTION) return options.subscribe(args);
      const context = args.contextValue as C;
      const key = resumes(operation, args.variableValues)
        ? `solo:${++solo}`
        : [textOf(args.document), args.operationName ?? '', stableJson(args.variableValues ?? {}), options.audienceOf(context)].join('\u0000');
      const channel = channels.get(key) ?? open(key, args);
      // Joined before the execution starts, so the first event reaches everyone who asked.
      const member = join(channel, rootFieldOf(operation), context);
      const result = await channel.ready;
      if (!(Symbol.asyncIterator in result)) {
        void member.return!();
        return result;
      }
      return member;
    },
    stats(): FanoutStats {
      return { subscriptions: Object.fromEntries(counts), executions: channels.size };
    },
  };
}
