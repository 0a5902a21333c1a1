import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { connectionTypes } from '../../graphql/connection';

@ObjectType({ description: 'One row of the append-only audit log: who changed what, when.' })
export class AuditLogEntry {
  @Field(() => ID)
  id!: number;

  @Field()
  at!: Date;

  @Field({ description: 'The `sub` of the token that made the change.' })
  actorSub!: string;

  @Field()
  actorRole!: string;

  @Field({ description: '`<domain>.<verb>`, e.g. `pledge.revoke`.' })
  action!: string;

  @Field()
  targetType!: string;

  @Field()
  targetId!: string;

  @Field(() => GraphQLJSON, { nullable: true })
  before!: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  after!: unknown;

  @Field(() => String, { nullable: true })
  requestId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The district of the target, fixed when the row was written; null for rows without one (imports, job summaries: admins only).',
  })
  regionCode!: string | null;
}

export const { ConnectionType: AuditLogConnection } = connectionTypes(AuditLogEntry, 'AuditLog');
