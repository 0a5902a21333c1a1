import type { ErrorRequestHandler } from 'express';
import { ErrorCode } from '../errors';

/**
 * Express error handler for /graphql: a body that is not JSON (express.json's
 * `entity.parse.failed`) is answered as a GraphQL error with HTTP 400 instead of express's HTML
 * page with a stack trace. Other errors pass on to the next handler.
 */
export const jsonBodyErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  const type = (error as { type?: unknown } | null)?.type;
  if (type !== 'entity.parse.failed' || res.headersSent) {
    next(error);
    return;
  }
  res.status(400).json({
    errors: [{ message: 'The request body is not valid JSON', extensions: { code: ErrorCode.BAD_USER_INPUT } }],
  });
};
