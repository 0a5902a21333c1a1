import { Resolver } from 'type-graphql';

@Resolver()
export class EnrollmentResolver {}

/** Every resolver class of this module; schema.ts registers them. */
export const enrollmentResolvers = [EnrollmentResolver] as const;
