/**
 * The one-line reason of a rating factor, in Chinese, for the API (`RatingFactor.reason`) and the
 * pages. Built from the factor alone (key, points, bound and the counts of its evidence), never
 * from record ids, so the same line may be shown to anyone who may see the rating. Pure.
 *
 * Stored ratings carry their factors as JSON written by older code too, so every evidence field is
 * read defensively: a missing count reads as 0 rather than failing the rating.
 */
import { ISSUE_TYPES } from '../appeal-taxonomy';
import type { RatingFactor } from './v1';

/**
 * The fields of a factor its reason reads. The key is a string (a FactorKey from this model; a
 * stored rating of another model may hold others, which get a plain line).
 */
export type ReasonedFactor = Pick<RatingFactor, 'points' | 'max' | 'limit'> & { key: string; evidence: Record<string, unknown> };

/** Points as the pages write them: at most two decimals, no trailing zeros. */
export function formatPoints(points: number): string {
  return String(Math.round(Math.abs(points) * 100) / 100);
}

const num = (evidence: Record<string, unknown>, key: string): number => {
  const value = evidence[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
};
const flag = (evidence: Record<string, unknown>, key: string): boolean => evidence[key] === true;
const text = (evidence: Record<string, unknown>, key: string): string | null => {
  const value = evidence[key];
  return typeof value === 'string' ? value : null;
};
const yuan = (fen: number) => (fen / 100).toFixed(2);
const issueLabel = (code: string) => (ISSUE_TYPES as Record<string, string>)[code] ?? code;

/** "得 7/10 分" for a positive factor (its points of its maximum). */
function earned(f: ReasonedFactor): string {
  return `得 ${formatPoints(f.points)}/${formatPoints(f.max ?? 0)} 分`;
}

/** "扣 10 分" (or "不扣分") for a deduction; "（最多扣 40 分）" when the uncapped deduction was more. */
function deducted(f: ReasonedFactor, uncapped = f.points): string {
  if (f.points === 0) return '不扣分';
  const capped = f.limit !== null && uncapped < f.points ? `（最多扣 ${formatPoints(f.limit)} 分）` : '';
  return `扣 ${formatPoints(f.points)} 分${capped}`;
}

const AUDIT_OUTCOMES: Record<string, string> = { COMPLIANT: '合格', MINOR_ISSUES: '基本合格', VIOLATION: '违规' };
const LISTS: Record<string, string> = { SERIOUS_VIOLATION: '严重违法失信名单', ABNORMAL_OPERATIONS: '经营异常名录' };

/** One line saying why a factor gave its points: what was counted and what it came to. */
export function factorReason(f: ReasonedFactor): string {
  const e = f.evidence;
  switch (f.key) {
    case 'responsiveness': {
      const onTime = num(e, 'answeredOnTime');
      const late = num(e, 'answeredLateOrNot');
      const pending = num(e, 'pendingWithinDeadline');
      const pendingNote = pending ? `，另有 ${pending} 件尚在 10 个工作日答复期内` : '';
      if (onTime + late === 0) return `近三年没有应答复的投诉${pendingNote}，${earned(f)}`;
      return `近三年应答复的投诉 ${onTime + late} 件，按时答复 ${onTime} 件、逾期或未答复 ${late} 件${pendingNote}，${earned(f)}`;
    }
    case 'resolution': {
      const concluded = num(e, 'concluded');
      if (concluded === 0) return `近三年没有办结的投诉，${earned(f)}`;
      return `近三年办结投诉 ${concluded} 件，其中调解成功或撤回 ${num(e, 'mediatedOrWithdrawn')} 件，${earned(f)}`;
    }
    case 'volume': {
      const counted = num(e, 'countedComplaints');
      const weighted = num(e, 'weightedComplaints');
      return `近三年受理投诉 ${counted} 件（按时间加权 ${weighted} 件），本规模商户允许 ${num(e, 'allowance')} 件，${earned(f)}`;
    }
    case 'pledge': {
      if (!flag(e, 'pledgeInEffect')) return `没有有效的七日无理由退货承诺，${earned(f)}`;
      const outcome = text(e, 'lastAuditOutcome');
      const on = text(e, 'lastAuditedOn');
      if (!outcome) return `七日无理由退货承诺有效，尚未核查，${earned(f)}`;
      return `七日无理由退货承诺有效，最近一次核查${on ? `（${on}）` : ''}${AUDIT_OUTCOMES[outcome] ?? outcome}，${earned(f)}`;
    }
    case 'disputeChannel': {
      const settlement = flag(e, 'settlementPlatform') ? '已入驻湖北315消费纠纷和解平台' : '未入驻湖北315消费纠纷和解平台';
      const odr = flag(e, 'odr') ? '是ODR企业' : '不是ODR企业';
      return `${settlement}，${odr}，${earned(f)}`;
    }
    case 'tenure':
      return `成立满 ${num(e, 'wholeYears')} 年，${earned(f)}`;
    case 'pledgeViolations': {
      const violations = num(e, 'violationAudits');
      const revocations = num(e, 'revocations');
      if (violations + revocations === 0) return '近三年承诺核查没有违规，承诺也未被撤销，不扣分';
      return `近三年承诺核查违规 ${violations} 次、承诺被撤销 ${revocations} 次，${deducted(f, num(e, 'uncappedPoints'))}`;
    }
    case 'substantiatedReports': {
      const filed = num(e, 'casesFiled');
      if (filed === 0) return '近三年没有经举报立案的案件，不扣分';
      return `近三年经举报立案 ${filed} 件，${deducted(f, num(e, 'uncappedPoints'))}`;
    }
    case 'complaintPattern': {
      const patterns = Array.isArray(e.patterns) ? (e.patterns as { issueType?: unknown; responded?: unknown }[]) : [];
      const names = (list: typeof patterns) => list.map((p) => issueLabel(String(p.issueType))).join('、');
      const open = patterns.filter((p) => p.responded !== true);
      const answered = patterns.filter((p) => p.responded === true);
      if (patterns.length === 0) return '近一年没有同类问题在 89 天内被投诉 3 次以上，不扣分';
      if (open.length === 0) return `近一年同类问题（${names(answered)}）集中被投诉，已作回应，不扣分`;
      return `近一年同类问题（${names(open)}）在 89 天内被投诉 3 次以上且未作回应，${deducted(f)}`;
    }
    case 'compensationFund': {
      const role = text(e, 'role');
      if (role === 'HOST') {
        if (!flag(e, 'hasFund')) return `作为市场或平台开办者，没有先行赔付基金，${deducted(f)}`;
        const balance = num(e, 'balanceFen');
        const minimum = num(e, 'requiredMinimumFen');
        return f.points < 0
          ? `先行赔付基金余额 ${yuan(balance)} 元，低于最低额 ${yuan(minimum)} 元，${deducted(f)}`
          : `先行赔付基金余额 ${yuan(balance)} 元，不低于最低额 ${yuan(minimum)} 元，不扣分`;
      }
      if (role === 'TENANT') {
        const open = num(e, 'unreimbursedPayouts');
        if (open === 0) return '近一年没有开办者为其先行赔付而未偿还的款项，不扣分';
        return `近一年开办者为其先行赔付、尚未偿还 ${open} 笔，${deducted(f, -5 * open)}`;
      }
      return '没有先行赔付记录，不扣分';
    }
    case 'praise': {
      const received = num(e, 'praiseInLastYear');
      if (received === 0) return '近一年没有收到消费者表扬，不加分';
      return `近一年收到消费者表扬 ${received} 件，加 ${formatPoints(f.points)} 分（最多加 ${formatPoints(f.limit ?? 3)} 分）`;
    }
    case 'clamp': {
      const unclamped = num(e, 'unclamped');
      const direction = f.points > 0 ? `加 ${formatPoints(f.points)} 分` : `减 ${formatPoints(f.points)} 分`;
      return `各项合计 ${Math.round(unclamped * 100) / 100} 分，超出 0 至 100 分，${direction}`;
    }
    case 'cap': {
      const list = text(e, 'list');
      return `列入${(list && LISTS[list]) ?? '信用名单'}，评分最高 ${formatPoints(f.limit ?? 0)} 分，减 ${formatPoints(f.points)} 分`;
    }
    default:
      return f.points === 0 ? '不计分' : `${f.points > 0 ? '加' : '扣'} ${formatPoints(f.points)} 分`;
  }
}
