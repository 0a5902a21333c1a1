import { GraphQLBoolean, Kind, OperationTypeNode, valueFromAST, type DocumentNode, type OperationDefinitionNode } from 'graphql';

const RATE_LIMIT_FIELD = 'rateLimit';

/** Whether the operation asks `rateLimit(dryRun: true)` among its root fields. */
export function isDryRun(operation: OperationDefinitionNode, variables?: Record<string, unknown> | null): boolean {
  if (operation.operation !== OperationTypeNode.QUERY) return false;
  return operation.selectionSet.selections.some((selection) => {
    if (selection.kind !== Kind.FIELD || selection.name.value !== RATE_LIMIT_FIELD) return false;
    const arg = selection.arguments?.find((a) => a.name.value === 'dryRun');
    return arg !== undefined && valueFromAST(arg.value, GraphQLBoolean, variables ?? undefined) === true;
  });
}

/**
 * The document with the operation reduced to its `rateLimit` (and `__typename`) root fields:
 * what a dry run executes, so that it prices the query without running it.
 */
export function dryRunDocument(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const selections = operation.selectionSet.selections.filter(
    (selection) => selection.kind === Kind.FIELD && (selection.name.value === RATE_LIMIT_FIELD || selection.name.value === '__typename'),
  );
  return {
    ...document,
    definitions: document.definitions.map((definition) =>
      definition === operation ? { ...operation, selectionSet: { ...operation.selectionSet, selections } } : definition,
    ),
  };
}
