import { activeOnSql } from '../../domain/pledge-period.sql';
import { and, asc, count, eq, exists, isNull, like, notExists, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { demonstrationStreetMembers, demonstrationStreets, merchants, ratings, returnPledges } from '../../db/schema';
import { validateUscc } from '../../domain/uscc';
import { isRegionCode, regionPrefix } from '../../domain/region';
import { merchantIdForUscc } from '../../domain/ids';
import { shanghaiToday } from '../../domain/local-date';
import { UUID_PATTERN } from '../../domain/ids';
import { BadUserInputError, ConflictError, NotFoundError } from '../../errors';
import { assertGoverns, assertMayManage, loadMerchantForUpdate, requireId } from '../../common/access';
import { optionalPhone, optionalText, requireDate, requireRegionCode, requireText, requireValidUscc } from '../../common/input';
import { mutate } from '../../mutation';
import { pageSize, toConnection, type Connection } from '../../graphql/connection';
import type {
  MerchantFilter,
  RegisterMerchantInput,
  SetMerchantHostInput,
  StreetMembershipInput,
  UpdateMerchantContactInput,
  UpdateMerchantInput,
} from './merchant.input';
import type { Loaders, RequestScope } from '../../request-scope';
import type { MerchantRow } from './merchant.type';
import { lookupMerchant, selectWithIncludes, type LookupIncludes, type LookupRow } from './merchant.queries';
import type { RatingRow } from '../rating/rating.loaders';
import { merchantCursor, merchantsAfterCursor, nameOrder } from './merchant.loaders';

const NO_INCLUDES: LookupIncludes = { rating: 'none', pledge: false };

/** Columns whose change is worth an audit row, minus bookkeeping. */
type MerchantChange = Partial<Omit<MerchantRow, 'id' | 'uscc' | 'kind' | 'version' | 'createdAt' | 'updatedAt'>>;

/** Escapes LIKE wildcards so a user's `%` or `_` matches itself. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Use cases of merchants; resolvers stay thin and call these. */
export class MerchantService {
  constructor(private readonly scope: RequestScope) {}

  private get db(): Db {
    return this.scope.db;
  }

  private get loaders(): Loaders {
    return this.scope.loaders;
  }

  /**
   * One merchant by id or by USCC (exactly one of them); null when none matches. What `includes`
   * names is read in the same statement and handed to the request's loaders, so the fields that
   * ask for it next find it there.
   */
  async find(args: { id?: string | null; uscc?: string | null }, includes: LookupIncludes = NO_INCLUDES): Promise<MerchantRow | null> {
    const { id, uscc } = args;
    if ((id == null) === (uscc == null)) {
      throw new BadUserInputError('Give exactly one of id and uscc', id == null ? 'id' : 'uscc');
    }
    if (id != null && !UUID_PATTERN.test(id)) throw new BadUserInputError('id is not a merchant id', 'id');
    const found =
      id != null ? await lookupMerchant(this.db, 'id', id.toLowerCase(), includes) : await lookupMerchant(this.db, 'uscc', requireValidUscc(uscc!, 'uscc'), includes);
    return found ? this.prime(found, includes) : null;
  }

  /**
   * A page of merchants matching the filter, ordered by name then id (stable across pages), with
   * what `includes` names joined in the same statement and handed to the request's loaders.
   */
  async list(
    filter: MerchantFilter | null | undefined,
    first?: number | null,
    after?: string | null,
    includes: LookupIncludes = NO_INCLUDES,
  ): Promise<Connection<MerchantRow>> {
    const limit = pageSize(first);
    const where = this.conditions(filter ?? {});
    const keyset = after ? merchantsAfterCursor(after) : undefined;
    const found = await selectWithIncludes(this.db, includes)
      .where(and(where, keyset))
      .orderBy(asc(nameOrder()), asc(merchants.id))
      .limit(limit + 1);
    const rows = found.map((row) => this.prime(row, includes));
    const total = async () => Number((await this.db.select({ n: count() }).from(merchants).where(where))[0]?.n ?? 0);
    return toConnection(rows, limit, total, merchantCursor, Boolean(after));
  }

  /** A page of a host's tenants in name order, batched with those of the other hosts the request asks about. */
  async tenantsOf(hostId: string, first?: number | null, after?: string | null): Promise<Connection<MerchantRow>> {
    const limit = pageSize(first);
    if (after) merchantsAfterCursor(after);
    const page = await this.loaders.tenantPagesByHost.load({ parentId: hostId, limit, after: after ?? null });
    for (const { node } of page.edges) this.loaders.merchantById.prime(node.id, node);
    return page;
  }

  /** Hands what a look-up or page read beside each merchant to the loaders its fields use. */
  private prime(found: LookupRow, includes: LookupIncludes): MerchantRow {
    const { merchant } = found;
    const { loaders } = this;
    loaders.merchantById.prime(merchant.id, merchant);
    if (includes.rating === 'full') loaders.ratingByMerchant.prime(merchant.id, (found.rating as RatingRow | null) ?? null);
    if (includes.rating === 'summary') loaders.ratingSummaryByMerchant.prime(merchant.id, found.rating ?? null);
    if (includes.pledge) loaders.pledgeInEffectByMerchant.prime(merchant.id, found.pledge ?? null);
    return merchant;
  }

  /** Supervisors register a merchant in their region; its id is derived from its USCC. */
  register(input: RegisterMerchantInput): Promise<MerchantRow> {
    const checked = validateUscc(input.uscc);
    if (!checked.valid) throw new BadUserInputError(`input.uscc is not a valid USCC: ${checked.reason}`, 'input.uscc');
    const { uscc, kind } = checked;
    if (!kind) {
      throw new BadUserInputError('input.uscc must be an enterprise (91), individual business (92) or farmer cooperative (93)', 'input.uscc');
    }
    const regionCode = requireRegionCode(input.regionCode, 'input.regionCode');
    assertGoverns(this.scope.viewer, regionCode);
    const values = {
      id: merchantIdForUscc(uscc),
      uscc,
      kind,
      name: requireText(input.name, 'input.name', 200),
      industry: input.industry,
      sizeBand: input.sizeBand,
      regionCode,
      address: requireText(input.address, 'input.address', 300),
      establishedOn: requireDate(input.establishedOn, 'input.establishedOn', { notAfterToday: true }),
      contactName: optionalText(input.contactName, 'input.contactName', 100),
      contactPhone: optionalPhone(input.contactPhone, 'input.contactPhone'),
      rightsServiceStation: input.rightsServiceStation ?? false,
    };
    return mutate(this.scope, async (m) => {
      const [existing] = await m.tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.uscc, uscc));
      if (existing) throw new ConflictError(`A merchant with USCC ${uscc} is already registered`, { merchantId: existing.id });
      const host = input.hostMerchantId ? await this.checkedHost(m.tx, values.id, input.hostMerchantId, input.tenancyKind) : null;
      const [row] = await m.tx
        .insert(merchants)
        .values({ ...values, hostMerchantId: host?.id ?? null, tenancyKind: host ? input.tenancyKind! : null })
        .returning();
      m.touch(row!.id, host?.id);
      await m.audit({ action: 'merchant.register', targetType: 'merchant', targetId: row!.id, after: row });
      return row!;
    });
  }

  /** Supervisors correct a merchant's registered details. */
  update(input: UpdateMerchantInput): Promise<MerchantRow> {
    const change: MerchantChange = {};
    if (input.name != null) change.name = requireText(input.name, 'input.name', 200);
    if (input.industry != null) change.industry = input.industry;
    if (input.sizeBand != null) change.sizeBand = input.sizeBand;
    if (input.regionCode != null) change.regionCode = requireRegionCode(input.regionCode, 'input.regionCode');
    if (input.address != null) change.address = requireText(input.address, 'input.address', 300);
    if (input.establishedOn != null) change.establishedOn = requireDate(input.establishedOn, 'input.establishedOn', { notAfterToday: true });
    if (input.rightsServiceStation != null) change.rightsServiceStation = input.rightsServiceStation;
    return this.change(input.id, 'input.id', input.expectedVersion, 'merchant.update', change, { keepersOnly: true });
  }

  /** A merchant (or its supervisor) updates its public contact details. */
  updateContact(input: UpdateMerchantContactInput): Promise<MerchantRow> {
    const change: MerchantChange = {};
    if (input.contactName !== undefined) change.contactName = optionalText(input.contactName, 'input.contactName', 100);
    if (input.contactPhone !== undefined) change.contactPhone = optionalPhone(input.contactPhone, 'input.contactPhone');
    return this.change(input.merchantId, 'input.merchantId', input.expectedVersion, 'merchant.updateContact', change, {});
  }

  /** Supervisors link a tenant to the market or platform it trades through, or unlink it. */
  async setHost(input: SetMerchantHostInput): Promise<MerchantRow> {
    return mutate(this.scope, async (m) => {
      const merchant = await loadMerchantForUpdate(m.tx, input.merchantId, 'input.merchantId');
      assertMayManage(this.scope.viewer, merchant, { keepersOnly: true });
      const host = input.hostMerchantId ? await this.checkedHost(m.tx, merchant.id, input.hostMerchantId, input.tenancyKind) : null;
      if (!host && input.tenancyKind) throw new BadUserInputError('tenancyKind needs a hostMerchantId', 'input.tenancyKind');
      // A link binds the host's fund to the tenant's consumers: whoever makes or breaks one must
      // govern both ends, the host it leaves as well as the one it joins.
      if (host) assertGoverns(this.scope.viewer, host.regionCode);
      if (merchant.hostMerchantId && merchant.hostMerchantId !== host?.id) {
        const [previous] = await m.tx.select({ regionCode: merchants.regionCode }).from(merchants).where(eq(merchants.id, merchant.hostMerchantId));
        if (previous) assertGoverns(this.scope.viewer, previous.regionCode);
      }
      if (host) {
        const [tenant] = await m.tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.hostMerchantId, merchant.id)).limit(1);
        // One level only: whoever pays first (消保法 Art. 43/44) must be the host the consumer sees.
        if (tenant) throw new ConflictError('This merchant hosts tenants itself, so it cannot become a tenant');
      }
      const [row] = await m.tx
        .update(merchants)
        .set({ hostMerchantId: host?.id ?? null, tenancyKind: host ? input.tenancyKind! : null, version: sql`${merchants.version} + 1`, updatedAt: new Date() })
        .where(eq(merchants.id, merchant.id))
        .returning();
      // The tenant's payouts and both hosts' fund duties may change with the link.
      m.touch(merchant.id, merchant.hostMerchantId, host?.id);
      await m.audit({
        action: 'merchant.setHost',
        targetType: 'merchant',
        targetId: merchant.id,
        before: { hostMerchantId: merchant.hostMerchantId, tenancyKind: merchant.tenancyKind },
        after: { hostMerchantId: row!.hostMerchantId, tenancyKind: row!.tenancyKind },
      });
      return row!;
    });
  }

  /** Supervisors add a merchant to a demonstration street. */
  joinStreet(input: StreetMembershipInput): Promise<MerchantRow> {
    const joinedOn = requireDate(input.on, 'input.on');
    return mutate(this.scope, async (m) => {
      const { merchant, street } = await this.streetAndMerchant(m.tx, input);
      const current = await this.currentMembership(m.tx, street.id, merchant.id);
      if (current) throw new ConflictError(`The merchant is already a member of ${street.name} since ${current.joinedOn}`);
      const [row] = await m.tx.insert(demonstrationStreetMembers).values({ streetId: street.id, merchantId: merchant.id, joinedOn }).returning();
      await m.audit({ action: 'street.addMember', targetType: 'merchant', targetId: merchant.id, after: row });
      return merchant;
    });
  }

  /** Supervisors record that a merchant left a demonstration street. */
  leaveStreet(input: StreetMembershipInput): Promise<MerchantRow> {
    const leftOn = requireDate(input.on, 'input.on');
    return mutate(this.scope, async (m) => {
      const { merchant, street } = await this.streetAndMerchant(m.tx, input);
      const current = await this.currentMembership(m.tx, street.id, merchant.id);
      if (!current) throw new ConflictError(`The merchant is not a member of ${street.name}`);
      if (leftOn <= current.joinedOn) throw new BadUserInputError(`input.on must be after the joining day ${current.joinedOn}`, 'input.on');
      const [row] = await m.tx.update(demonstrationStreetMembers).set({ leftOn }).where(eq(demonstrationStreetMembers.id, current.id)).returning();
      await m.audit({ action: 'street.removeMember', targetType: 'merchant', targetId: merchant.id, before: current, after: row });
      return merchant;
    });
  }

  private async currentMembership(tx: Tx, streetId: string, merchantId: string) {
    const [current] = await tx
      .select()
      .from(demonstrationStreetMembers)
      .where(and(eq(demonstrationStreetMembers.streetId, streetId), eq(demonstrationStreetMembers.merchantId, merchantId), isNull(demonstrationStreetMembers.leftOn)));
    return current;
  }

  private async streetAndMerchant(tx: Tx, input: StreetMembershipInput) {
    const merchant = await loadMerchantForUpdate(tx, input.merchantId, 'input.merchantId');
    const [street] = await tx.select().from(demonstrationStreets).where(eq(demonstrationStreets.id, requireId(input.streetId, 'input.streetId')));
    if (!street) throw new NotFoundError('Demonstration street', input.streetId);
    assertMayManage(this.scope.viewer, merchant, { keepersOnly: true });
    assertGoverns(this.scope.viewer, street.regionCode);
    return { merchant, street };
  }

  /** The host of a tenancy link: exists, is not the tenant, is not itself a tenant. */
  private async checkedHost(tx: Tx, tenantId: string, hostId: string, tenancyKind: string | null | undefined) {
    if (!tenancyKind) throw new BadUserInputError('tenancyKind is required with hostMerchantId', 'input.tenancyKind');
    const id = requireId(hostId, 'input.hostMerchantId');
    if (id === tenantId) throw new BadUserInputError('A merchant cannot be its own host', 'input.hostMerchantId');
    const [host] = await tx.select().from(merchants).where(eq(merchants.id, id));
    if (!host) throw new NotFoundError('Merchant', hostId);
    if (host.hostMerchantId) throw new BadUserInputError('The host is itself a tenant of another host', 'input.hostMerchantId');
    return host;
  }

  /** Applies a change to one merchant under its row lock and version, with its audit row. */
  private change(
    id: string,
    field: string,
    expectedVersion: number | null | undefined,
    action: string,
    change: MerchantChange,
    access: { keepersOnly?: boolean },
  ): Promise<MerchantRow> {
    if (Object.keys(change).length === 0) throw new BadUserInputError('Nothing to change: give at least one field', field);
    return mutate(this.scope, async (m) => {
      const before = await loadMerchantForUpdate(m.tx, id, field);
      assertMayManage(this.scope.viewer, before, access);
      if (change.regionCode && change.regionCode !== before.regionCode) assertGoverns(this.scope.viewer, change.regionCode);
      if (expectedVersion != null && expectedVersion !== before.version) {
        throw new ConflictError(`The merchant changed meanwhile (version ${before.version}, expected ${expectedVersion})`, {
          currentVersion: before.version,
        });
      }
      const [row] = await m.tx
        .update(merchants)
        .set({ ...change, version: sql`${merchants.version} + 1`, updatedAt: new Date() })
        .where(eq(merchants.id, before.id))
        .returning();
      const changed = Object.keys(change) as (keyof MerchantChange)[];
      // Size band and establishment date are rating inputs; contact details are not.
      if (change.sizeBand || change.establishedOn) m.touch(before.id);
      await m.audit({
        action,
        targetType: 'merchant',
        targetId: before.id,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, row![k]])),
      });
      return row!;
    });
  }

  private conditions(filter: MerchantFilter): SQL | undefined {
    const parts: (SQL | undefined)[] = [];
    if (filter.nameContains != null) {
      const text = filter.nameContains.trim();
      if (text.length === 0) throw new BadUserInputError('nameContains must not be blank', 'filter.nameContains');
      parts.push(like(merchants.name, likeContains(text)));
    }
    if (filter.regionCode != null) {
      if (!isRegionCode(filter.regionCode)) {
        throw new BadUserInputError('regionCode must be a six-digit GB/T 2260 code', 'filter.regionCode');
      }
      const prefix = regionPrefix(filter.regionCode);
      parts.push(prefix.length === 6 ? eq(merchants.regionCode, prefix) : like(merchants.regionCode, `${prefix}%`));
    }
    if (filter.uscc != null) parts.push(eq(merchants.uscc, requireValidUscc(filter.uscc, 'filter.uscc')));
    if (filter.industry != null) parts.push(eq(merchants.industry, filter.industry));
    if (filter.kind != null) parts.push(eq(merchants.kind, filter.kind));
    if (filter.grade != null) {
      parts.push(exists(this.db.select({ one: sql`1` }).from(ratings).where(and(eq(ratings.merchantId, merchants.id), eq(ratings.grade, filter.grade)))));
    }
    if (filter.hasActivePledge != null) {
      const today = shanghaiToday();
      const active = this.db
        .select({ one: sql`1` })
        .from(returnPledges)
        .where(
          and(
            eq(returnPledges.merchantId, merchants.id),
            activeOnSql(returnPledges, today),
          ),
        );
      parts.push(filter.hasActivePledge ? exists(active) : notExists(active));
    }
    return and(...parts);
  }
}
