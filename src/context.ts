import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Db } from './db';
import type { Logger } from './logger';
import type { EventBus } from './events/bus';
import { PUBLIC_VIEWER, type Viewer } from './auth/viewer';
import { createMerchantLoaders } from './modules/merchant/merchant.loaders';
import { MerchantService } from './modules/merchant/merchant.service';
import { AuditService } from './modules/audit/audit.service';
import { createCreditListLoaders } from './modules/credit-list/credit-list.loaders';
import { CreditListService } from './modules/credit-list/credit-list.service';
import { createStreetLoaders } from './modules/street/street.loaders';
import { StreetService } from './modules/street/street.service';
import { createAppealLoaders } from './modules/appeal/appeal.loaders';
import { createRatingLoaders } from './modules/rating/rating.loaders';
import { RatingService } from './modules/rating/rating.service';
import { ReportService } from './modules/report/report.service';
import { AppealService } from './modules/appeal/appeal.service';
import { createPledgeLoaders } from './modules/pledge/pledge.loaders';
import { PledgeService } from './modules/pledge/pledge.service';
import { createEnrollmentLoaders } from './modules/enrollment/enrollment.loaders';
import { EnrollmentService } from './modules/enrollment/enrollment.service';
import { createFundLoaders } from './modules/fund/fund.loaders';
import { FundService } from './modules/fund/fund.service';
import type { RequestLimits } from './limits/request';

export type { Role, Viewer } from './auth/viewer';
export { PUBLIC_VIEWER } from './auth/viewer';

/** What services need of a request: who asks, the database, the request's loaders and logger. */
export interface RequestScope {
  requestId: string;
  viewer: Viewer;
  db: Db;
  log: Logger;
  loaders: Loaders;
  /** Where committed changes are announced (absent in CLIs, which have no subscribers). */
  events?: EventBus;
}

/** What every request of one server shares. */
export interface ServerDeps {
  db: Db;
  log: Logger;
  events?: EventBus;
}

/** Per-request state: loaders and services are made here so nothing is cached across requests. */
export interface Context extends RequestScope {
  services: Services;
  /** Cost, budget and abort signal of an API request (absent in CLIs and jobs). */
  limits?: RequestLimits;
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Services = ReturnType<typeof createServices>;

function createLoaders(db: Db) {
  return {
    ...createMerchantLoaders(db),
    ...createCreditListLoaders(db),
    ...createStreetLoaders(db),
    ...createAppealLoaders(db),
    ...createRatingLoaders(db),
    ...createPledgeLoaders(db),
    ...createEnrollmentLoaders(db),
    ...createFundLoaders(db),
  };
}

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

/** The scope of one request or job: who acts, the database, fresh loaders. */
export function createRequestScope(deps: ServerDeps, viewer: Viewer = PUBLIC_VIEWER, requestId: string = randomUUID()): RequestScope {
  return { requestId, viewer, db: deps.db, log: deps.log.child({ requestId }), loaders: createLoaders(deps.db), events: deps.events };
}

/** Builds the context of one HTTP request or one WebSocket operation. */
export function createContext(deps: ServerDeps, viewer: Viewer = PUBLIC_VIEWER, requestId: string = randomUUID()): Context {
  const scope = createRequestScope(deps, viewer, requestId);
  return { ...scope, services: createServices(scope) };
}
