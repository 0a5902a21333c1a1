import { Resolver } from 'type-graphql';

/** The supervisor-only batch import of 12315 exports (the CLI streams larger files). */
@Resolver()
export class AppealImportResolver {}
