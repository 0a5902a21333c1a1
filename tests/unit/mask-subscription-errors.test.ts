import { GraphQLError } from 'graphql';
import { ConflictError, maskSubscriptionErrors } from '../../src/errors';

describe('maskSubscriptionErrors', () => {
  it('masks and reports what a subscription stream threw by accident, as graphql-ws wraps it', () => {
    const reported: unknown[] = [];
    const thrown = new Error('connect ECONNREFUSED 10.0.0.5:5432 at /srv/app/src/db/index.ts');
    const wrapped = new GraphQLError(thrown.message, { originalError: thrown });
    expect(maskSubscriptionErrors([wrapped], (e) => reported.push(e))).toEqual([
      { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(reported).toEqual([thrown]);
  });

  it('passes deliberate errors and validation errors through unchanged', () => {
    const reported: unknown[] = [];
    const conflict = new ConflictError('stale', { version: 2 });
    const wrapped = new GraphQLError(conflict.message, { originalError: conflict });
    const validation = new GraphQLError('Cannot query field "nope" on type "Subscription".');
    const masked = maskSubscriptionErrors([wrapped, validation], (e) => reported.push(e));
    expect(masked[0]).toMatchObject({ message: 'stale', extensions: { code: 'CONFLICT', version: 2 } });
    expect(masked[1]).toMatchObject({ message: 'Cannot query field "nope" on type "Subscription".' });
    expect(reported).toEqual([]);
  });

  it('maps a database error thrown in a stream like any other', () => {
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "appeals_external_id_key"'), {
      code: '23505',
      constraint_name: 'appeals_external_id_key',
    });
    const wrapped = new GraphQLError(pgError.message, { originalError: Object.assign(new Error('Failed query'), { cause: pgError }) });
    expect(maskSubscriptionErrors([wrapped], () => undefined)[0]!.extensions).toEqual({ code: 'CONFLICT', field: 'input.externalId' });
  });
});
