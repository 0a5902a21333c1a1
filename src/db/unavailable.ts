import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../errors';

/** Seconds a client is asked to wait before retrying a request the database could not serve. */
export const RETRY_AFTER_SECONDS = 1;

/** Whether an answer failed as a whole because the database was unavailable (then HTTP 503). */
export function failedForUnavailability(
  data: Record<string, unknown> | null | undefined,
  errors: readonly GraphQLFormattedError[] | undefined,
): boolean {
  if (!errors?.some((e) => e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) return false;
  return !(data && Object.values(data).some((value) => value !== null && value !== undefined));
}

/**
 * Answers HTTP 503 (with `Retry-After`) when a request failed as a whole because the database
 * was unavailable: no field has data and an error says SERVICE_UNAVAILABLE. A partly answered
 * request stays 200, as GraphQL over HTTP has it, with the unavailable fields null and their errors.
 */
export function serviceUnavailablePlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!failedForUnavailability(data, errors)) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}
