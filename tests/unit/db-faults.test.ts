import { GraphQLError, locatedError } from 'graphql';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { databaseFault, isReadOnlyStatement, PoolMonitor } from '../../src/db/faults';
import { ErrorCode, maskError } from '../../src/errors';

/** An error shaped like postgres.js's: a plain Error with a string `code`. */
function driverError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('databaseFault', () => {
  it.each(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08P01'])(
    'recognises %s as a lost connection',
    (code) => {
      expect(databaseFault(driverError(code))).toEqual({ kind: 'connection', code });
    },
  );

  it('recognises 57014 (statement_timeout) as a timeout', () => {
    expect(databaseFault(driverError('57014', 'canceling statement due to statement timeout'))).toEqual({ kind: 'timeout', code: '57014' });
  });

  it('looks through drizzle and graphql-js wrappers', () => {
    const wrapped = new DrizzleQueryError('select 1', [], driverError('CONNECTION_CLOSED'));
    expect(databaseFault(wrapped)?.kind).toBe('connection');
    const nonError = Object.assign(new Error('Unexpected error value'), { thrownValue: driverError('ECONNRESET') });
    expect(databaseFault(nonError)?.kind).toBe('connection');
  });

  it('leaves other database errors alone: a unique violation is not an outage', () => {
    expect(databaseFault(driverError('23505'))).toBeUndefined();
    expect(databaseFault(new Error('boom'))).toBeUndefined();
    expect(databaseFault('CONNECTION_CLOSED')).toBeUndefined();
  });
});

describe('isReadOnlyStatement', () => {
  it('accepts a SELECT and a WITH … SELECT', () => {
    expect(isReadOnlyStatement('select "id" from "merchants" where "updated_at" > $1')).toBe(true);
    expect(isReadOnlyStatement('  WITH t AS (select 1) SELECT * FROM t')).toBe(true);
  });

  it('refuses writes, data-modifying CTEs, row locks, side-effecting functions and several statements', () => {
    expect(isReadOnlyStatement('insert into "audit_log" values ($1)')).toBe(false);
    expect(isReadOnlyStatement('update "merchants" set "name" = $1')).toBe(false);
    expect(isReadOnlyStatement('with d as (delete from t returning *) select * from d')).toBe(false);
    expect(isReadOnlyStatement('select * from "compensation_funds" where "id" = $1 for update')).toBe(false);
    expect(isReadOnlyStatement("select nextval('s')")).toBe(false);
    expect(isReadOnlyStatement('select pg_notify($1, $2)')).toBe(false);
    expect(isReadOnlyStatement('select 1; delete from t')).toBe(false);
    expect(isReadOnlyStatement('begin')).toBe(false);
  });
});

describe('PoolMonitor', () => {
  it('counts lost connections only, with the last code', () => {
    const monitor = new PoolMonitor(10);
    monitor.noteError(driverError('23505'));
    monitor.noteError(new DrizzleQueryError('select 1', [], driverError('57P01')));
    const stats = monitor.stats();
    expect(stats.connectionErrors).toMatchObject({ total: 1, lastMinute: 1, lastCode: '57P01' });
    expect(stats.max).toBe(10);
  });
});

describe('maskError and database faults', () => {
  const masked = (error: unknown) => {
    const reported: unknown[] = [];
    const located = locatedError(error, undefined, ['merchant']);
    return { formatted: maskError(located.toJSON(), located, (e) => reported.push(e)), reported };
  };

  it('answers a lost connection as a retryable SERVICE_UNAVAILABLE, not INTERNAL, and does not report it as a bug', () => {
    const { formatted, reported } = masked(new DrizzleQueryError('select 1', [], driverError('CONNECTION_CLOSED')));
    expect(formatted.extensions).toEqual({ code: ErrorCode.SERVICE_UNAVAILABLE, retryable: true });
    expect(formatted.path).toEqual(['merchant']);
    expect(formatted.message).not.toMatch(/select|CONNECTION_CLOSED|127\.0\.0\.1/);
    expect(reported).toEqual([]);
  });

  it('answers a statement stopped by statement_timeout as TIMEOUT', () => {
    const { formatted } = masked(driverError('57014', 'canceling statement due to statement timeout'));
    expect(formatted.extensions).toMatchObject({ code: ErrorCode.TIMEOUT });
  });

  it('still masks and reports any other failure as INTERNAL_SERVER_ERROR', () => {
    const { formatted, reported } = masked(driverError('42P01', 'relation "nowhere" does not exist'));
    expect(formatted.extensions).toEqual({ code: ErrorCode.INTERNAL_SERVER_ERROR });
    expect(reported).toHaveLength(1);
  });

  it('lets deliberate GraphQL errors through unchanged', () => {
    const { formatted } = masked(new GraphQLError('nope', { extensions: { code: 'FORBIDDEN' } }));
    expect(formatted.extensions).toEqual({ code: 'FORBIDDEN' });
  });
});
