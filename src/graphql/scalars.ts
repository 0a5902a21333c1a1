import { GraphQLScalarType, Kind } from 'graphql';
import { isLocalDate } from '../domain/local-date';

function parseLocalDate(value: unknown): string {
  if (typeof value !== 'string' || !isLocalDate(value)) {
    throw new TypeError(`Date must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * A calendar date (`YYYY-MM-DD`) with no time and no zone: establishment dates, effective dates,
 * deadlines. Kept as a string end to end so no time zone can shift it by a day.
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD (Asia/Shanghai days where a day matters).',
  serialize: (value) => parseLocalDate(value),
  parseValue: (value) => parseLocalDate(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('Date must be a string written YYYY-MM-DD');
    return parseLocalDate(ast.value);
  },
});
