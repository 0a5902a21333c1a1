import type { TestServer, GraphQLResponse } from './server';
import { authHeader } from './server';

/** The viewers every mutation is tried as, relative to the merchant it acts on. */
export const ACTORS = ['public', 'merchantOwn', 'merchantOther', 'supervisorIn', 'supervisorOut', 'admin'] as const;
export type Actor = (typeof ACTORS)[number];

/** A merchant the case acts on: its id and its district. */
export interface Target {
  id: string;
  regionCode: string;
}

/** The district a case's "out of region" supervisor governs when the case names none. */
export function outsideRegion(target: Target): string {
  return target.regionCode === '421321' ? '421381' : '421321';
}

/** Jurisdictions of the two supervisors, when a case needs other ones than the defaults. */
export interface SupervisorRegions {
  /** supervisorIn: default the city of the target (a city code covers its districts). */
  in?: string[];
  /** supervisorOut: default another district than the target's (see `outsideRegion`). */
  out?: string[];
}

/** Headers for `actor` relative to `target` (another district is used for "out of region"). */
export async function headersFor(actor: Actor, target: Target, otherMerchantId: string, regions: SupervisorRegions = {}): Promise<Record<string, string>> {
  switch (actor) {
    case 'public':
      return {};
    case 'merchantOwn':
      return authHeader({ sub: 'merchant-own', role: 'MERCHANT', merchantIds: [target.id] });
    case 'merchantOther':
      return authHeader({ sub: 'merchant-other', role: 'MERCHANT', merchantIds: [otherMerchantId] });
    case 'supervisorIn':
      // A city code: jurisdictions cover their districts.
      return authHeader({ sub: 'supervisor-in', role: 'SUPERVISOR', regions: regions.in ?? [`${target.regionCode.slice(0, 4)}00`] });
    case 'supervisorOut':
      return authHeader({ sub: 'supervisor-out', role: 'SUPERVISOR', regions: regions.out ?? [outsideRegion(target)] });
    case 'admin':
      return authHeader({ sub: 'admin', role: 'ADMIN' });
  }
}

export interface RoleCase {
  /** The mutation's name, as in the schema. */
  mutation: string;
  /** What the case tries beyond the plain call (test title), e.g. "host in another region". */
  variant?: string;
  /** Other jurisdictions for the supervisors than the defaults (see `SupervisorRegions`). */
  regions?: SupervisorRegions;
  /** Who may run it; everyone else must get FORBIDDEN or UNAUTHENTICATED. */
  allowed: readonly Actor[];
  /**
   * Makes a fresh situation for one attempt (so an allowed attempt cannot spoil the next) and
   * returns the merchant acted on and the operation to send. `actor` lets a case send what that
   * actor would (e.g. a supervisor's own region code as an argument).
   */
  prepare(server: TestServer, attempt: number, actor: Actor): Promise<{ target: Target; query: string; variables: Record<string, unknown> }>;
}

export interface RoleOutcome {
  actor: Actor;
  allowed: boolean;
  codes: string[];
}

/** Runs one case for every actor; returns what happened, for one `expect(...).toEqual(...)`. */
export async function runRoleCase(server: TestServer, roleCase: RoleCase, otherMerchantId: string): Promise<RoleOutcome[]> {
  const outcomes: RoleOutcome[] = [];
  let attempt = 0;
  for (const actor of ACTORS) {
    const { target, query, variables } = await roleCase.prepare(server, attempt++, actor);
    const response: GraphQLResponse = await server.gql(query, variables, await headersFor(actor, target, otherMerchantId, roleCase.regions));
    const codes = (response.errors ?? []).map((e) => String(e.extensions?.code));
    outcomes.push({ actor, allowed: codes.length === 0, codes });
  }
  return outcomes;
}

/** The outcomes a case should have: allowed actors succeed, the rest are refused for who they are. */
/** The test title of a case: the mutation and, if any, its variant. */
export function caseTitle(roleCase: RoleCase): string {
  return roleCase.variant ? `${roleCase.mutation} (${roleCase.variant})` : roleCase.mutation;
}

/** The outcomes a case should have: allowed actors succeed, the rest are refused for who they are. */
export function expectedOutcomes(roleCase: RoleCase): RoleOutcome[] {
  return ACTORS.map((actor) => {
    const allowed = roleCase.allowed.includes(actor);
    return { actor, allowed, codes: allowed ? [] : [actor === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN'] };
  });
}
