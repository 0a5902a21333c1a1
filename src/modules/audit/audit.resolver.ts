import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { AuditLogConnection } from './audit.type';

@Resolver()
export class AuditResolver {
  @Authorized('SUPERVISOR', 'ADMIN')
  @Query(() => AuditLogConnection, { description: 'The audit log, newest first (supervisors and admins).' })
  auditLog(
    @Ctx() ctx: Context,
    @Arg('targetType', () => String, { nullable: true }) targetType?: string | null,
    @Arg('targetId', () => String, { nullable: true }) targetId?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.audit.list({ targetType, targetId }, first, after);
  }
}
