import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import type { ApolloServerPlugin } from '@apollo/server';
import { BadUserInputError } from '../errors';
import {
  DATE_MAX,
  DATE_MIN,
  DATE_TIME_MAX_MS,
  DATE_TIME_MIN_MS,
  MAX_AMOUNT_FEN,
  isMoneyArgument,
  stringLimit,
} from './input-limits';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string is refused anywhere in the API, whatever its field; null when it is acceptable. */
export function stringProblem(value: string): string | null {
  // PostgreSQL text cannot hold NUL, and a lone surrogate has no UTF-8 form: both would reach
  // the database as an encoding error.
  if (value.includes('\u0000')) return 'must not contain a NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone UTF-16 surrogate';
  return null;
}

interface Place {
  /** Schema coordinate for limits: `Type.field(arg)` or `InputType.field`. */
  coordinate: string;
  /** The argument path the client sees in `extensions.field`, e.g. `input.externalId`. */
  field: string;
  name: string;
}

function checkValue(value: unknown, type: GraphQLInputType, place: Place): void {
  if (value === null || value === undefined) return;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return checkValue(value, nullable.ofType, place);
    value.forEach((item, i) => checkValue(item, nullable.ofType, { ...place, field: `${place.field}[${i}]` }));
    return;
  }
  if (isInputObjectType(nullable)) {
    if (typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    for (const field of Object.values(nullable.getFields())) {
      if (!(field.name in record)) continue;
      checkValue(record[field.name], field.type, {
        coordinate: `${nullable.name}.${field.name}`,
        field: `${place.field}.${field.name}`,
        name: field.name,
      });
    }
    return;
  }
  if (!isScalarType(nullable)) return;
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    if (problem) throw new BadUserInputError(`${place.field} ${problem}`, place.field);
    const { max } = stringLimit(place.coordinate, place.name, nullable.name);
    if (value.length > max) throw new BadUserInputError(`${place.field} must be at most ${max} characters, got ${value.length}`, place.field);
    // Date is kept as YYYY-MM-DD text, so the range is a string comparison.
    if (nullable.name === 'Date' && (value < DATE_MIN || value > DATE_MAX)) {
      throw new BadUserInputError(`${place.field} must be from ${DATE_MIN} to ${DATE_MAX}`, place.field);
    }
    return;
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!(ms >= DATE_TIME_MIN_MS && ms <= DATE_TIME_MAX_MS)) {
      throw new BadUserInputError(`${place.field} must be from ${DATE_MIN} to ${DATE_MAX}`, place.field);
    }
    return;
  }
  if (typeof value === 'number' && isMoneyArgument(place.name) && Math.abs(value) > MAX_AMOUNT_FEN) {
    throw new BadUserInputError(`${place.field} must be at most ${MAX_AMOUNT_FEN} fen (100 亿元)`, place.field);
  }
}

function checkArguments(args: Record<string, unknown>, parent: string, field: GraphQLField<unknown, unknown>): void {
  for (const arg of field.args) {
    if (!(arg.name in args)) continue;
    checkValue(args[arg.name], arg.type, { coordinate: `${parent}.${field.name}(${arg.name})`, field: arg.name, name: arg.name });
  }
}

/**
 * Checks every argument of an operation — inline or from variables, at any depth, in fragments
 * too — against the rules of input-limits.ts. Because it walks the schema's own argument types,
 * a new field is covered the moment it exists. Returns the refusal (BAD_USER_INPUT naming the
 * field), or null. Malformed requests (bad variables, unknown operation) are left to
 * graphql-js, which refuses them itself. A caller that has coerced the variables already passes
 * them as `coercedVariables`, so they are not coerced twice.
 */
export function checkOperationInput(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
  coercedVariables?: Record<string, unknown>,
): BadUserInputError | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return null;
  const sites = argumentSitesOf(schema, document, operation);
  if (sites.length === 0) return null;
  let variables = coercedVariables;
  if (!variables) {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
    if (coerced.errors) return null;
    variables = coerced.coerced;
  }
  try {
    for (const { field, node, parent } of sites) {
      let args: Record<string, unknown>;
      try {
        args = getArgumentValues(field, node, variables);
      } catch {
        continue; // graphql-js refuses it with its own message when it executes
      }
      checkArguments(args, parent, field);
    }
  } catch (error) {
    if (error instanceof BadUserInputError) return error;
    throw error;
  }
  return null;
}

/** A field with arguments in a document: where values are checked. */
interface ArgumentSite {
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  parent: string;
}

const sitesBySchema = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, ArgumentSite[]>>();

/**
 * The fields with arguments of an operation and of every fragment, found by one walk of the
 * schema's types per operation node (the documents Apollo keeps come back as the same nodes), so a
 * request repeated with other variables only checks values.
 */
function argumentSitesOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): ArgumentSite[] {
  let byOperation = sitesBySchema.get(schema);
  if (!byOperation) sitesBySchema.set(schema, (byOperation = new WeakMap()));
  const known = byOperation.get(operation);
  if (known) return known;
  const sites: ArgumentSite[] = [];
  const typeInfo = new TypeInfo(schema);
  for (const definition of document.definitions) {
    if (definition !== operation && definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const field = typeInfo.getFieldDef();
          const parent = typeInfo.getParentType();
          if (!field || !parent || field.args.length === 0 || !node.arguments?.length) return;
          sites.push({ field, node, parent: getNamedType(parent).name });
        },
      }),
    );
  }
  byOperation.set(operation, sites);
  return sites;
}

/** Apollo plugin: refuses a request whose arguments break the input rules before it executes. */
export function inputGuardPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          const refusal = checkOperationInput(schema, document, operationName, request.variables);
          // Apollo answers errors thrown here with HTTP 500 unless told otherwise; `http` is not shown.
          if (refusal) throw new GraphQLError(refusal.message, { extensions: { ...refusal.extensions, http: { status: 400 } } });
        },
      };
    },
  };
}

type Run<R> = (args: ExecutionArgs) => R;

/**
 * graphql-ws's `execute`/`subscribe` with the same input rules as the HTTP plugin in front:
 * a refused operation answers its errors instead of running.
 */
export function guardExecution<R>(run: Run<R>): Run<R | ExecutionResult> {
  return (args) => {
    const refusal = checkOperationInput(args.schema, args.document, args.operationName, args.variableValues);
    return refusal ? { errors: [refusal] } : run(args);
  };
}
