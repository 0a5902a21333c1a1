import { createHash } from 'node:crypto';
import { buildAppealRecord, type AppealFacts } from '../../src/domain/appeal-record';
import { addWorkingDays } from '../../src/domain/calendar';
import { isIssueType, isViolationType } from '../../src/domain/appeal-taxonomy';
import { shanghaiDate } from '../../src/domain/local-date';
import { generateDemoSeed, type MerchantRow } from '../../seeds/demo';
import { generateRecordSeed, percentHundredths, type RecordAppealRow, type RecordSeed } from '../../seeds/record';

/**
 * The seed of record against the published 2023 figures. Every figure is recomputed here from
 * the generated rows with the report's own definitions (not with the generator's bookkeeping).
 */

/** round(100 × n / d, 2) half-up, as a plain number with two decimals. */
function percent(n: number, d: number): number {
  return percentHundredths(n, d) / 100;
}

/** The same rounding written independently, on decimals: to catch a wrong shared helper. */
function percentByDecimals(n: number, d: number): number {
  const exact = (100 * n) / d;
  return Math.sign(exact) * Math.round(Math.abs(exact) * 100 + 1e-9) / 100;
}

const yearOf = (instant: Date) => shanghaiDate(instant).slice(0, 4);

describe('the seed of record (12315 appeals of 2022 and 2023)', () => {
  let merchants: MerchantRow[];
  let seed: RecordSeed;
  let y2022: RecordAppealRow[];
  let y2023: RecordAppealRow[];

  beforeAll(() => {
    merchants = generateDemoSeed().merchants;
    seed = generateRecordSeed(merchants);
    y2022 = seed.appeals.filter((a) => yearOf(a.receivedAt) === '2022');
    y2023 = seed.appeals.filter((a) => yearOf(a.receivedAt) === '2023');
  });

  const ofType = (rows: RecordAppealRow[], type: RecordAppealRow['type']) => rows.filter((a) => a.type === type);

  describe('reproduces every published 2023 figure', () => {
    it('has only appeals received in 2022 and 2023 (Shanghai dates)', () => {
      expect(y2022.length + y2023.length).toBe(seed.appeals.length);
    });

    it('counts 216 consultations, 23,971 complaints, 3,259 reports and 1 praise (27,447)', () => {
      expect(ofType(y2023, 'CONSULTATION')).toHaveLength(216);
      expect(ofType(y2023, 'COMPLAINT')).toHaveLength(23_971);
      expect(ofType(y2023, 'REPORT')).toHaveLength(3_259);
      expect(ofType(y2023, 'PRAISE')).toHaveLength(1);
      expect(y2023).toHaveLength(27_447);
    });

    it('decided 99.53% of complaints by the acceptance deadline (按时初查率), all of them decided', () => {
      const complaints = ofType(y2023, 'COMPLAINT');
      const decided = complaints.filter((c) => c.acceptedAt || c.rejectedAt);
      expect(decided).toHaveLength(complaints.length);
      const onTime = decided.filter((c) => shanghaiDate((c.acceptedAt ?? c.rejectedAt)!) <= c.acceptanceDueOn!);
      expect(percent(onTime.length, decided.length)).toBe(99.53);
      expect(percentByDecimals(onTime.length, decided.length)).toBe(99.53);
    });

    it('concluded 99.63% of accepted complaints by the conclusion deadline (按时办结率), all of them concluded', () => {
      const accepted = ofType(y2023, 'COMPLAINT').filter((c) => c.acceptedAt);
      const concluded = accepted.filter((c) => ['MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'].includes(c.status!));
      expect(concluded).toHaveLength(accepted.length);
      const onTime = concluded.filter((c) => shanghaiDate(c.concludedAt!) <= c.conclusionDueOn!);
      expect(percent(onTime.length, concluded.length)).toBe(99.63);
      expect(percentByDecimals(onTime.length, concluded.length)).toBe(99.63);
    });

    it('mediated 71.78% of concluded complaints (调解成功率)', () => {
      const concluded = ofType(y2023, 'COMPLAINT').filter((c) => ['MEDIATED', 'MEDIATION_FAILED', 'WITHDRAWN'].includes(c.status!));
      const mediated = concluded.filter((c) => c.status === 'MEDIATED');
      expect(percent(mediated.length, concluded.length)).toBe(71.78);
      expect(percentByDecimals(mediated.length, concluded.length)).toBe(71.78);
    });

    it('verified 98.83% of reports by the deadline in force (举报按时核查率), all of them decided', () => {
      const reports = ofType(y2023, 'REPORT');
      const decided = reports.filter((r) => r.status === 'CASE_FILED' || r.status === 'NOT_FILED');
      expect(decided).toHaveLength(reports.length);
      const onTime = decided.filter((r) => shanghaiDate(r.decidedAt!) <= r.verificationDueOn!);
      expect(percent(onTime.length, decided.length)).toBe(98.83);
      expect(percentByDecimals(onTime.length, decided.length)).toBe(98.83);
      // Some were extended, once, and their deadline is 30 working days after receipt.
      const extended = decided.filter((r) => r.verificationExtendedAt);
      expect(extended.length).toBeGreaterThan(0);
      for (const r of extended) expect(r.verificationDueOn).toBe(addWorkingDays(shanghaiDate(r.receivedAt), 30).date);
    });

    it('recovered exactly ¥7,086,800, only on mediated or withdrawn complaints, never more than was involved', () => {
      // The published ¥7,086,800 written out here, not read from the generator's own table.
      expect(y2023.reduce((sum, a) => sum + (a.amountRecoveredFen ?? 0), 0)).toBe(708_680_000);
      const wrong = seed.appeals.filter(
        (a) => (a.amountRecoveredFen && (a.type !== 'COMPLAINT' || !['MEDIATED', 'WITHDRAWN'].includes(a.status!))) || a.amountInvolvedFen! < a.amountRecoveredFen!,
      );
      expect(wrong.map((a) => a.externalId)).toEqual([]);
      // Realistic amounts: nothing absurd for a single consumer dispute.
      expect(Math.max(...y2023.map((a) => a.amountRecoveredFen!))).toBeLessThan(200_000 * 100);
    });

    it('gives goods −2.15% and services +26.15% on 2022, with food, vehicles and clothing over half of goods and vehicles −26.93%', () => {
      const complaints = (rows: RecordAppealRow[], prefix: string) => ofType(rows, 'COMPLAINT').filter((c) => c.categoryCode!.startsWith(prefix));
      const change = (prefix: string) => {
        const now = complaints(y2023, prefix).length;
        const before = complaints(y2022, prefix).length;
        return [percent(now - before, before), percentByDecimals(now - before, before)];
      };
      expect(change('GOODS.')).toEqual([-2.15, -2.15]);
      expect(change('SERVICES.')).toEqual([26.15, 26.15]);
      expect(change('GOODS.VEHICLES')).toEqual([-26.93, -26.93]);
      const goods = complaints(y2023, 'GOODS.');
      const top3 = goods.filter((c) => ['GOODS.FOOD', 'GOODS.VEHICLES', 'GOODS.CLOTHING'].includes(c.categoryCode!));
      expect(top3.length / goods.length).toBeGreaterThan(0.5);
    });

    it('has sales services (mostly prepaid) first at 24.29% of service complaints and internet services second at 18.75%', () => {
      const services = ofType(y2023, 'COMPLAINT').filter((c) => c.categoryCode!.startsWith('SERVICES.'));
      // Level-2 category of each complaint (sub-categories roll up to their parent).
      const byCategory = new Map<string, number>();
      for (const c of services) {
        const level2 = c.categoryCode!.split('.').slice(0, 2).join('.');
        byCategory.set(level2, (byCategory.get(level2) ?? 0) + 1);
      }
      const ranked = [...byCategory].sort((a, b) => b[1] - a[1]);
      expect(ranked[0]![0]).toBe('SERVICES.SALES');
      expect(ranked[1]![0]).toBe('SERVICES.INTERNET');
      expect(ranked[2]![1]).toBeLessThan(ranked[1]![1]);
      expect(percent(ranked[0]![1], services.length)).toBe(24.29);
      expect(percent(ranked[1]![1], services.length)).toBe(18.75);
      const prepaid = services.filter((c) => c.categoryCode === 'SERVICES.SALES.PREPAID').length;
      expect(prepaid / ranked[0]![1]).toBeGreaterThan(0.5);
    });

    it('gives reports +33.29% on 2022, advertising, unfair competition and consumer rights over 70% of them', () => {
      const now = ofType(y2023, 'REPORT');
      const before = ofType(y2022, 'REPORT');
      expect(before).toHaveLength(2_445);
      expect(percent(now.length - before.length, before.length)).toBe(33.29);
      const top = now.filter((r) => ['ADVERTISING', 'UNFAIR_COMPETITION', 'CONSUMER_RIGHTS'].includes(r.violationType!));
      expect(top.length / now.length).toBeGreaterThan(0.7);
    });
  });

  describe('rows', () => {
    it('is deterministic', () => {
      const digest = (s: RecordSeed) => createHash('sha1').update(JSON.stringify(s)).digest('hex');
      expect(digest(generateRecordSeed(merchants))).toBe(digest(seed));
    }, 120_000);

    it('has unique ids and external ids numbered per year in order of receipt', () => {
      const ids = [...seed.appeals, ...seed.appealTransitions, ...seed.merchantAnswers].map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      const problems: string[] = [];
      for (const [year, rows] of [['2022', y2022], ['2023', y2023]] as const) {
        rows.forEach((a, i) => {
          if (a.externalId !== `12315-${year}-${String(i + 1).padStart(6, '0')}`) problems.push(`${a.externalId} out of sequence`);
          if (i > 0 && a.receivedAt.getTime() < rows[i - 1]!.receivedAt.getTime()) problems.push(`${a.externalId} received before its predecessor`);
        });
      }
      expect(problems).toEqual([]);
    });

    it('names an existing merchant on every complaint and report, in its region, established by then', () => {
      const byId = new Map(merchants.map((m) => [m.id!, m]));
      const problems: string[] = [];
      for (const a of seed.appeals) {
        if ((a.type === 'COMPLAINT' || a.type === 'REPORT') && !a.merchantId) problems.push(`${a.externalId}: no merchant`);
        if (a.merchantId) {
          const m = byId.get(a.merchantId);
          if (!m) problems.push(`${a.externalId}: unknown merchant`);
          else if (a.regionCode !== m.regionCode) problems.push(`${a.externalId}: region ${a.regionCode}, merchant's ${m.regionCode}`);
          else if (m.establishedOn > shanghaiDate(a.receivedAt)) problems.push(`${a.externalId}: merchant established ${m.establishedOn}`);
        } else if (!['421303', '421321', '421381'].includes(a.regionCode)) {
          problems.push(`${a.externalId}: region ${a.regionCode}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('classifies every complaint (category of level 2 or 3, issue type) and every report (violation type)', () => {
      const level2or3 = /^(GOODS|SERVICES)\.[A-Z_]+(\.[A-Z_]+)?$/;
      const wrong = seed.appeals.filter((a) =>
        a.type === 'COMPLAINT'
          ? !level2or3.test(a.categoryCode ?? '') || !isIssueType(a.issueType ?? '') || a.violationType !== null
          : a.type === 'REPORT'
            ? !isViolationType(a.violationType ?? '')
            : a.violationType !== null || a.status !== 'CLOSED',
      );
      expect(wrong.map((a) => a.externalId)).toEqual([]);
    });

    it('is a legal workflow path for every appeal, with its transitions and the calendar deadlines', () => {
      const transitions = new Map<string, RecordSeed['appealTransitions']>();
      for (const t of seed.appealTransitions) {
        const list = transitions.get(t.appealId) ?? [];
        list.push(t);
        transitions.set(t.appealId, list);
      }
      const problems: string[] = [];
      const dueCache = new Map<string, string>();
      const due = (start: Date, n: number) => {
        const key = `${shanghaiDate(start)}+${n}`;
        if (!dueCache.has(key)) {
          const result = addWorkingDays(shanghaiDate(start), n);
          if (result.provisional) problems.push(`${key} is provisional`);
          dueCache.set(key, result.date);
        }
        return dueCache.get(key)!;
      };
      const same = (label: string, actual: unknown, expected: unknown) => {
        if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${label}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
      };
      for (const a of seed.appeals) {
        const steps = transitions.get(a.id) ?? [];
        const stepAt = (action: string) => steps.find((s) => (s.detail as { action: string }).action === action)?.at ?? null;
        // The row's facts, with the two instants only the history keeps.
        const facts: AppealFacts = {
          type: a.type,
          status: a.status!,
          receivedAt: a.receivedAt,
          acceptedAt: a.acceptedAt,
          rejectedAt: a.rejectedAt,
          rejectionReason: a.rejectionReason,
          mediationStartedAt: a.mediationStartedAt,
          concludedAt: a.concludedAt,
          verificationStartedAt: stepAt('START_VERIFICATION'),
          verificationExtendedAt: a.verificationExtendedAt,
          decidedAt: a.decidedAt,
          closedAt: stepAt('CLOSE'),
        };
        const record = buildAppealRecord(facts);
        if (!record.ok) {
          problems.push(`${a.externalId}: ${JSON.stringify(record.problems)}`);
          continue;
        }
        const id = a.externalId;
        same(
          `${id} transitions`,
          steps.map((s) => [(s.detail as { action: string }).action, s.fromStatus, s.toStatus, s.at.getTime(), s.actor]),
          record.history.map((h) => [h.action, h.from, h.to, h.at.getTime(), 'seed']),
        );
        same(`${id} caseFiledAt`, a.caseFiledAt, record.timestamps.caseFiledAt);
        same(`${id} provisional`, a.deadlinesProvisional, false);
        same(`${id} acceptanceDueOn`, a.acceptanceDueOn, a.type === 'COMPLAINT' ? due(a.receivedAt, 7) : null);
        same(`${id} answerDueOn`, a.answerDueOn, a.acceptedAt ? due(a.acceptedAt, 10) : null);
        same(`${id} conclusionDueOn`, a.conclusionDueOn, a.acceptedAt ? due(a.acceptedAt, 45) : null);
        same(`${id} verificationDueOn`, a.verificationDueOn, a.type === 'REPORT' ? due(a.receivedAt, a.verificationExtendedAt ? 30 : 15) : null);
        // At most one extension (the workflow refuses a second), asked before the first deadline ran out.
        if (a.verificationExtendedAt && shanghaiDate(a.verificationExtendedAt) > due(a.receivedAt, 15)) problems.push(`${id} extended late`);
        // History, not plans: every step was taken long before the demo's today.
        if (steps.at(-1)!.at.getTime() >= new Date('2024-12-31T00:00:00+08:00').getTime()) problems.push(`${id} ends too late`);
      }
      expect(problems).toEqual([]);
    });

    it('has merchant answers only on accepted 2023 complaints, by the merchant concerned, during the mediation', () => {
      const byId = new Map(seed.appeals.map((a) => [a.id, a]));
      expect(seed.merchantAnswers.length).toBeGreaterThan(0);
      const wrong = seed.merchantAnswers.filter((answer) => {
        const a = byId.get(answer.appealId);
        return (
          !a ||
          a.type !== 'COMPLAINT' ||
          yearOf(a.receivedAt) !== '2023' ||
          answer.merchantId !== a.merchantId ||
          !a.acceptedAt ||
          answer.answeredAt.getTime() <= a.acceptedAt.getTime() ||
          answer.answeredAt.getTime() > a.concludedAt!.getTime()
        );
      });
      expect(wrong.map((answer) => answer.id)).toEqual([]);
    });

    it('spreads complaints over merchants by size: large ones get more, and no micro business gets many', () => {
      const perMerchant = new Map<string, number>();
      for (const c of ofType(y2023, 'COMPLAINT')) perMerchant.set(c.merchantId!, (perMerchant.get(c.merchantId!) ?? 0) + 1);
      const median = (band: MerchantRow['sizeBand']) => {
        const counts = merchants.filter((m) => m.sizeBand === band).map((m) => perMerchant.get(m.id!) ?? 0).sort((x, y) => x - y);
        return counts[counts.length >> 1]!;
      };
      expect(median('MICRO')).toBeLessThan(median('SMALL'));
      expect(median('SMALL')).toBeLessThan(median('MEDIUM'));
      expect(median('MEDIUM')).toBeLessThan(median('LARGE'));
      const micro = merchants.filter((m) => m.sizeBand === 'MICRO').map((m) => perMerchant.get(m.id!) ?? 0);
      expect(Math.max(...micro)).toBeLessThan(30);
    });
  });
});
