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

/** Each service is made when a resolver first asks for it; a lookup needs two of ten. */
class RequestServices {
  #merchants?: MerchantService;
  #audit?: AuditService;
  #creditLists?: CreditListService;
  #appeals?: AppealService;
  #ratings?: RatingService;
  #reports?: ReportService;
  #streets?: StreetService;
  #pledges?: PledgeService;
  #enrollments?: EnrollmentService;
  #funds?: FundService;

  constructor(private readonly scope: RequestScope) {}

  get merchants(): MerchantService {
    return (this.#merchants ??= new MerchantService(this.scope));
  }
  get audit(): AuditService {
    return (this.#audit ??= new AuditService(this.scope));
  }
  get creditLists(): CreditListService {
    return (this.#creditLists ??= new CreditListService(this.scope));
  }
  get appeals(): AppealService {
    return (this.#appeals ??= new AppealService(this.scope));
  }
  get ratings(): RatingService {
    return (this.#ratings ??= new RatingService(this.scope));
  }
  get reports(): ReportService {
    return (this.#reports ??= new ReportService(this.scope));
  }
  get streets(): StreetService {
    return (this.#streets ??= new StreetService(this.scope));
  }
  get pledges(): PledgeService {
    return (this.#pledges ??= new PledgeService(this.scope));
  }
  get enrollments(): EnrollmentService {
    return (this.#enrollments ??= new EnrollmentService(this.scope));
  }
  get funds(): FundService {
    return (this.#funds ??= new FundService(this.scope));
  }
}

export type Services = RequestServices;

/** Builds the context of one HTTP request or one WebSocket operation. */
export function createContext(deps: ServerDeps, viewer: Viewer = PUBLIC_VIEWER, requestId: string = randomUUID()): Context {
  const scope = createRequestScope(deps, viewer, requestId);
  // The scope itself becomes the context (its logger is a getter a copy would lose).
  return Object.assign(scope, { services: new RequestServices(scope) });
}
