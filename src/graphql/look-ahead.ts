import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the field being resolved selects the sub-field at `path` (names below it, through
 * fragments and inline fragments, across every node of the same response key). A resolver asks
 * it to fetch in one statement what the fields below would otherwise fetch one by one.
 * Conservative where it cannot know: a selection under `@skip`/`@include` counts as selected.
 */
export function selects(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): boolean {
  let level: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    const next: FieldNode[] = [];
    for (const node of level) if (node.selectionSet) collect(node.selectionSet, name, info.fragments, next, new Set());
    if (next.length === 0) return false;
    level = next;
  }
  return true;
}

function collect(
  set: SelectionSetNode,
  name: string,
  fragments: GraphQLResolveInfo['fragments'],
  out: FieldNode[],
  seen: Set<string>,
): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) out.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(selection.selectionSet, name, fragments, out, seen);
    } else {
      const fragmentName = selection.name.value;
      const fragment = fragments[fragmentName];
      // Validation has refused cycles; `seen` only keeps a malformed document from looping here.
      if (!fragment || seen.has(fragmentName)) continue;
      seen.add(fragmentName);
      collect(fragment.selectionSet, name, fragments, out, seen);
    }
  }
}
