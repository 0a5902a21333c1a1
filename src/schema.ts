import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { MerchantResolver } from './modules/merchant/merchant.resolver';
import { AuditResolver } from './modules/audit/audit.resolver';
import { CreditListResolver } from './modules/credit-list/credit-list.resolver';
import { pledgeResolvers } from './modules/pledge/pledge.resolver';
import { enrollmentResolvers } from './modules/enrollment/enrollment.resolver';
import { fundResolvers } from './modules/fund/fund.resolver';
import { AppealImportResolver } from './modules/appeal/appeal-import.resolver';
import { appealResolvers } from './modules/appeal/appeal.resolver';
import { ratingResolvers } from './modules/rating/rating.resolver';
import { LiveResolver } from './modules/live/live.resolver';
import { ReportResolver } from './modules/report/report.resolver';
import { streetResolvers } from './modules/street/street.resolver';
import { createPubSub } from '@graphql-yoga/subscription';
import { authChecker } from './auth/auth-checker';
import { RateLimitResolver } from './limits/rate-limit.resolver';

/** Every resolver of the API; the emitted schema/schema.graphql is built from this list. */
export const resolvers = [
  MerchantResolver,
  AuditResolver,
  CreditListResolver,
  ...pledgeResolvers,
  ...enrollmentResolvers,
  ...fundResolvers,
  ...appealResolvers,
  ...ratingResolvers,
  LiveResolver,
  ReportResolver,
  ...streetResolvers,
  AppealImportResolver,
  RateLimitResolver,
] as const;

/** Builds the executable schema (type-graphql reads decorators here, so build schemas one at a time). */
export async function buildRegistrySchema(): Promise<GraphQLSchema> {
  // Subscriptions bring their own streams (the event bus); type-graphql still wants a pubSub.
  return buildSchema({ resolvers, authChecker, validate: false, emitSchemaFile: false, pubSub: createPubSub() });
}

/** The SDL committed as schema/schema.graphql: sorted so resolver order never shows as drift. */
export function printRegistrySchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
