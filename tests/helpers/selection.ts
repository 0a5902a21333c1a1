import { getNamedType, isLeafType, isNonNullType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';

/** One field of a selection built from the schema. */
export interface FieldSelection {
  /** `Type.field`: the object type the field belongs to, and its name. */
  coordinate: string;
  name: string;
  /** `(name: value, …)` for the required arguments, or ''. */
  args: string;
  /** The selection inside an object field; undefined for scalars and enums. */
  children?: FieldSelection[];
}

export interface SelectEverythingOptions {
  /** GraphQL literals for required arguments, by `Type.field` and argument name. */
  requiredArgs?: Record<string, Record<string, string>>;
  /** `Type.field` coordinates to leave out (e.g. those the viewer is refused). */
  omit?: ReadonlySet<string>;
  /** `first` of every nested list that takes one: small pages keep a large selection quick. */
  first?: number;
}

/**
 * Every field of `typeName` and, recursively, of the object types under it, as the schema has
 * them now: a field added later is selected without anyone editing a query. Each object type is
 * expanded once along a path; where it recurs (a merchant's host is a merchant) only its id, or
 * without one its scalar fields, are selected, which keeps the selection finite. A required argument without a value in
 * `requiredArgs` throws, naming it, so a new field with one cannot be skipped silently.
 * Other arguments keep their defaults, but for `first` (see `options.first`).
 */
export function selectEverything(schema: GraphQLSchema, typeName: string, options: SelectEverythingOptions = {}): FieldSelection[] {
  const root = schema.getType(typeName);
  if (!isObjectType(root)) throw new Error(`${typeName} is not an object type`);
  return walk(root, [], options);
}

function walk(type: GraphQLObjectType, ancestors: readonly string[], options: SelectEverythingOptions): FieldSelection[] {
  // A type that recurs is fully expanded further up: its id is enough here.
  const recurring = ancestors.includes(type.name);
  if (recurring && type.getFields().id) return [{ coordinate: `${type.name}.id`, name: 'id', args: '' }];
  const selection: FieldSelection[] = [];
  for (const field of Object.values(type.getFields())) {
    const coordinate = `${type.name}.${field.name}`;
    if (options.omit?.has(coordinate)) continue;
    const named = getNamedType(field.type);
    if (recurring && !isLeafType(named)) continue;
    const args: string[] = [];
    if (options.first !== undefined && field.args.some((a) => a.name === 'first')) args.push(`first: ${options.first}`);
    for (const arg of field.args) {
      if (!isNonNullType(arg.type) || arg.defaultValue !== undefined) continue;
      const value = options.requiredArgs?.[coordinate]?.[arg.name];
      if (value === undefined) throw new Error(`${coordinate}(${arg.name}:) is required: give it a value in requiredArgs`);
      args.push(`${arg.name}: ${value}`);
    }
    const argText = args.length ? `(${args.join(', ')})` : '';
    if (isLeafType(named)) {
      selection.push({ coordinate, name: field.name, args: argText });
    } else if (isObjectType(named)) {
      selection.push({ coordinate, name: field.name, args: argText, children: walk(named, [...ancestors, type.name], options) });
    } else {
      throw new Error(`${coordinate}: ${named.name} is an interface or union; teach selectEverything to select its members`);
    }
  }
  // A recurring type without scalar fields still needs a selection to be valid GraphQL.
  if (selection.length === 0) selection.push({ coordinate: `${type.name}.__typename`, name: '__typename', args: '' });
  return selection;
}

/** The selection as GraphQL text (one field a line, for readable failures). */
export function printSelection(selection: readonly FieldSelection[], indent = ''): string {
  return selection
    .map((field) => {
      const head = `${indent}${field.name}${field.args}`;
      return field.children ? `${head} {\n${printSelection(field.children, `${indent}  `)}\n${indent}}` : head;
    })
    .join('\n');
}

/** Every `Type.field` coordinate the selection holds. */
export function coordinatesOf(selection: readonly FieldSelection[], into = new Set<string>()): Set<string> {
  for (const field of selection) {
    into.add(field.coordinate);
    if (field.children) coordinatesOf(field.children, into);
  }
  return into;
}

/**
 * How many objects of the response each selected field was resolved on, by coordinate: a field
 * under a null or an empty list is resolved on none.
 */
export function resolvedCounts(selection: readonly FieldSelection[], data: unknown, into = new Map<string, number>()): Map<string, number> {
  if (Array.isArray(data)) {
    for (const item of data) resolvedCounts(selection, item, into);
    return into;
  }
  if (data === null || typeof data !== 'object') return into;
  const object = data as Record<string, unknown>;
  for (const field of selection) {
    into.set(field.coordinate, (into.get(field.coordinate) ?? 0) + 1);
    if (field.children) resolvedCounts(field.children, object[field.name], into);
  }
  return into;
}

/** The coordinates of the selection resolved on fewer than `min` objects of `data`. */
export function resolvedOnFewer(selection: readonly FieldSelection[], data: unknown, min: number): string[] {
  const counts = resolvedCounts(selection, data);
  return [...coordinatesOf(selection)].filter((c) => (counts.get(c) ?? 0) < min).sort();
}

/** The coordinate an error's path ends at (list indexes skipped), or undefined when it leaves the selection. */
export function coordinateAt(selection: readonly FieldSelection[], path: readonly (string | number)[]): string | undefined {
  let fields: readonly FieldSelection[] | undefined = selection;
  let found: FieldSelection | undefined;
  for (const segment of path) {
    if (typeof segment === 'number') continue;
    found = fields?.find((f) => f.name === segment);
    if (!found) return undefined;
    fields = found.children;
  }
  return found?.coordinate;
}
