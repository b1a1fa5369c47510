import type { Unit } from './types';

export interface UnitNode {
  unit: Unit;
  children: UnitNode[];
}

function byOrder(a: UnitNode, b: UnitNode): number {
  return a.unit.sortOrder - b.unit.sortOrder || a.unit.name.localeCompare(b.unit.name, 'zh-CN');
}

/**
 * Builds the forest from the flat list of GET /api/units. A unit whose parent is not in the list (the top of
 * the caller's scope) becomes a root.
 */
export function buildUnitForest(units: readonly Unit[]): UnitNode[] {
  const nodes = new Map<string, UnitNode>();
  for (const u of units) nodes.set(u.id, { unit: u, children: [] });
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId ? nodes.get(node.unit.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: UnitNode[]) => {
    list.sort(byOrder);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Ids of `id` and all its descendants in the list. */
export function subtreeIds(units: readonly Unit[], id: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const u of units) {
    if (!u.parentId) continue;
    const list = children.get(u.parentId) ?? [];
    list.push(u.id);
    children.set(u.parentId, list);
  }
  const out = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const cur = stack.pop() as string;
    if (out.has(cur)) continue;
    out.add(cur);
    for (const c of children.get(cur) ?? []) stack.push(c);
  }
  return out;
}

export interface UnitTreeSelectNode {
  value: string;
  title: string;
  disabled?: boolean;
  children?: UnitTreeSelectNode[];
}

/** Tree data for antd TreeSelect; `disabled` marks units that may not be chosen. */
export function unitTreeSelectData(units: readonly Unit[], disabled?: (u: Unit) => boolean): UnitTreeSelectNode[] {
  const map = (nodes: UnitNode[]): UnitTreeSelectNode[] =>
    nodes.map((n) => ({
      value: n.unit.id,
      title: n.unit.active ? n.unit.name : `${n.unit.name}（已停用）`,
      disabled: disabled?.(n.unit) || undefined,
      children: n.children.length ? map(n.children) : undefined,
    }));
  return map(buildUnitForest(units));
}
