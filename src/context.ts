import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { PUBLIC_VIEWER, type Viewer } from './auth/viewer';
import { MerchantService } from './modules/merchant/merchant.service';
import { AuditService } from './modules/audit/audit.service';
import { CreditListService } from './modules/credit-list/credit-list.service';
import { StreetService } from './modules/street/street.service';
import { RatingService } from './modules/rating/rating.service';
import { ReportService } from './modules/report/report.service';
import { AppealService } from './modules/appeal/appeal.service';
import { PledgeService } from './modules/pledge/pledge.service';
import { EnrollmentService } from './modules/enrollment/enrollment.service';
import { FundService } from './modules/fund/fund.service';
import type { RequestLimits } from './limits/request';
import { createRequestScope, type RequestScope, type ServerDeps } from './request-scope';

export type { Role, Viewer } from './auth/viewer';
export { PUBLIC_VIEWER } from './auth/viewer';
export { createRequestScope, type Loaders, type RequestScope, type ServerDeps } from './request-scope';

/**
 * Per-request state for resolvers: the request's scope and its services, made here so nothing
 * is cached across requests. The service registry; services themselves import only
 * src/request-scope.ts.
 */
export interface Context extends RequestScope {
  services: Services;
  /** Cost, budget and abort signal of an API request (absent in CLIs and jobs). */
  limits?: RequestLimits;
}

export type Services = ReturnType<typeof createServices>;

function createServices(scope: RequestScope) {
  return {
    merchants: new MerchantService(scope),
    audit: new AuditService(scope),
    creditLists: new CreditListService(scope),
    appeals: new AppealService(scope),
    ratings: new RatingService(scope),
    reports: new ReportService(scope),
    streets: new StreetService(scope),
    pledges: new PledgeService(scope),
    enrollments: new EnrollmentService(scope),
    funds: new FundService(scope),
  };
}

/** Builds the context of one HTTP request or one WebSocket operation. */
export function createContext(deps: ServerDeps, viewer: Viewer = PUBLIC_VIEWER, requestId: string = randomUUID()): Context {
  const scope = createRequestScope(deps, viewer, requestId);
  return { ...scope, services: createServices(scope) };
}
