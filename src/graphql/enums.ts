import { registerEnumType } from 'type-graphql';
import { creditList, industry, merchantKind, ratingGrade, sizeBand, tenancyKind } from '../db/schema';

/** A GraphQL enum object built from a database enum, so the two lists cannot drift apart. */
export function enumObject<const V extends string>(values: readonly V[]): { [K in V]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { [K in V]: K };
}

export const MerchantKind = enumObject(merchantKind.enumValues);
export type MerchantKind = keyof typeof MerchantKind;
registerEnumType(MerchantKind, {
  name: 'MerchantKind',
  description: 'Legal form, from the USCC: 91 enterprise, 92 individual business, 93 farmer cooperative.',
  valuesConfig: {
    ENTERPRISE: { description: '企业' },
    INDIVIDUAL_BUSINESS: { description: '个体工商户' },
    FARMER_COOPERATIVE: { description: '农民专业合作社' },
  },
});

export const Industry = enumObject(industry.enumValues);
export type Industry = keyof typeof Industry;
registerEnumType(Industry, {
  name: 'Industry',
  valuesConfig: {
    SUPERMARKET: { description: '商超' },
    SHOPPING_CENTER: { description: '购物中心' },
    HOME_APPLIANCES: { description: '家电' },
    SCENIC_SPOT: { description: '旅游景区' },
    FARMERS_MARKET: { description: '农贸市场' },
    FOOD_DELIVERY_PLATFORM: { description: '外卖平台' },
    PROPERTY_MANAGEMENT: { description: '物业' },
    AUTOMOBILE: { description: '汽车' },
    FOOD: { description: '食品' },
    CLOTHING: { description: '服装' },
    FURNITURE_BUILDING_MATERIALS_MARKET: { description: '家具建材市场' },
    CATERING: { description: '餐饮' },
    PREPAID_SERVICES: { description: '预付式消费服务（培训、健身等）' },
  },
});

export const SizeBand = enumObject(sizeBand.enumValues);
export type SizeBand = keyof typeof SizeBand;
registerEnumType(SizeBand, {
  name: 'SizeBand',
  description: 'Size band; the rating allows MICRO 1, SMALL 3, MEDIUM 10, LARGE 30 weighted complaints a year.',
});

export const TenancyKind = enumObject(tenancyKind.enumValues);
export type TenancyKind = keyof typeof TenancyKind;
registerEnumType(TenancyKind, {
  name: 'TenancyKind',
  valuesConfig: {
    COUNTER_TENANT: { description: '柜台/场地承租者: rents a counter in a market (消保法 Art. 43)' },
    PLATFORM_SHOP: { description: '平台内经营者: sells through a trading platform (消保法 Art. 44)' },
  },
});

export const CreditList = enumObject(creditList.enumValues);
export type CreditList = keyof typeof CreditList;
registerEnumType(CreditList, {
  name: 'CreditList',
  valuesConfig: {
    ABNORMAL_OPERATIONS: { description: '经营异常名录: rating capped at 59.99 while listed' },
    SERIOUS_VIOLATION: { description: '严重违法失信名单: rating capped at 39.99 while listed' },
  },
});

export const Grade = enumObject(ratingGrade.enumValues);
export type Grade = keyof typeof Grade;
registerEnumType(Grade, {
  name: 'Grade',
  description: 'Integrity grade: A ≥ 90, B ≥ 75, C ≥ 60, D below; NR not rated (new and without records).',
});
