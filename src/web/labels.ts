import { isEnumType, type GraphQLSchema } from 'graphql';

/**
 * Chinese names of enum values, read from the schema's own descriptions (`"""商超"""`), so a page
 * names an industry or a status exactly as the API documents it. The part before " (" or ":" is
 * kept: "鲜活易腐的 (always)" reads "鲜活易腐的".
 */
export type Labels = (enumName: string, value: string | null | undefined) => string;

/** Builds the label lookup from the schema once per server. */
export function schemaLabels(schema: GraphQLSchema): Labels {
  const tables = new Map<string, Map<string, string>>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isEnumType(type)) continue;
    const table = new Map<string, string>();
    for (const value of type.getValues()) {
      const description = value.description?.trim();
      if (description) table.set(value.name, description.split(/ \(|: /, 1)[0]!);
    }
    tables.set(type.name, table);
  }
  return (enumName, value) => (value ? (tables.get(enumName)?.get(value) ?? value) : '—');
}

/** Chinese names of the rating factors (keys of RatingFactor, docs/rating.md). */
export const FACTOR_NAMES: Record<string, string> = {
  responsiveness: '投诉响应及时',
  resolution: '投诉解决',
  volume: '投诉数量',
  pledge: '七日无理由退货承诺',
  disputeChannel: '纠纷和解渠道',
  tenure: '经营年限',
  pledgeViolations: '承诺违规',
  substantiatedReports: '举报查实',
  complaintPattern: '同类投诉未回应',
  compensationFund: '先行赔付基金',
  praise: '消费者表扬',
  clamp: '分数上下限',
  cap: '等级上限',
};

/** Chinese names of the what-if steps (RatingChangeKind), shorter than the schema's descriptions. */
export const STEP_NAMES: Record<string, string> = {
  ANSWER_OPEN_COMPLAINTS: '今天答复所有待答复的投诉',
  ENROLL_SETTLEMENT_PLATFORM: '入驻湖北315消费纠纷和解平台',
  FILE_PLEDGE: '今天作出七日无理由退货承诺',
  GAIN_ODR_RECOGNITION: '成为ODR企业',
  LEAVE_ABNORMAL_LIST: '信用修复：移出经营异常名录',
  PASS_PLEDGE_AUDIT: '今天通过承诺核查（合规）',
  REIMBURSE_PAYOUTS: '归还先行赔付垫付款',
  RESPOND_TO_PATTERNS: '对每类同类投诉作出回应',
  TOP_UP_FUND: '将赔付基金补足到最低额',
};
