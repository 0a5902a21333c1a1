import { Resolver } from 'type-graphql';

@Resolver()
export class PledgeResolver {}

/** Every resolver class of this module; schema.ts registers them. */
export const pledgeResolvers = [PledgeResolver] as const;
