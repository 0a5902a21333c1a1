import type { AuthCheckerFn } from 'type-graphql';
import type { Context } from '../context';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { Role } from './viewer';

/**
 * `@Authorized(...roles)`: the role gate. Ownership and jurisdiction are checked in services,
 * where the records are at hand.
 */
export const authChecker: AuthCheckerFn<Context, Role> = ({ context }, roles) => {
  const { role } = context.viewer;
  if (roles.length === 0 ? role !== 'PUBLIC' : roles.includes(role)) return true;
  if (role === 'PUBLIC') throw new UnauthenticatedError('Sign in to do this');
  throw new ForbiddenError(`This needs the role ${roles.join(' or ')}`);
};
