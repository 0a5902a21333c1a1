import { randomUUID } from 'node:crypto';
import type { Db } from './db';
import type { Logger } from './logger';
import { createMerchantLoaders } from './modules/merchant/merchant.loaders';
import { MerchantService } from './modules/merchant/merchant.service';

export type Role = 'PUBLIC' | 'MERCHANT' | 'SUPERVISOR' | 'ADMIN';

/** Who is asking. Without a token: the public. */
export interface Viewer {
  role: Role;
  sub: string | null;
  merchantIds: string[];
  regions: string[];
}

export const PUBLIC_VIEWER: Viewer = Object.freeze({ role: 'PUBLIC', sub: null, merchantIds: [], regions: [] }) as Viewer;

/** Per-request state: loaders and services are made here so nothing is cached across requests. */
export interface Context {
  requestId: string;
  viewer: Viewer;
  db: Db;
  log: Logger;
  loaders: ReturnType<typeof createLoaders>;
  services: ReturnType<typeof createServices>;
}

function createLoaders(db: Db) {
  return { ...createMerchantLoaders(db) };
}

function createServices(db: Db, loaders: ReturnType<typeof createLoaders>) {
  return { merchants: new MerchantService(db, loaders) };
}

/** Builds the context of one HTTP request or one WebSocket operation. */
export function createContext(deps: { db: Db; log: Logger }, viewer: Viewer = PUBLIC_VIEWER, requestId: string = randomUUID()): Context {
  const loaders = createLoaders(deps.db);
  return {
    requestId,
    viewer,
    db: deps.db,
    log: deps.log.child({ requestId }),
    loaders,
    services: createServices(deps.db, loaders),
  };
}
