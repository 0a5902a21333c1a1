import { Resolver } from 'type-graphql';

@Resolver()
export class FundResolver {}

/** Every resolver class of this module; schema.ts registers them. */
export const fundResolvers = [FundResolver] as const;
