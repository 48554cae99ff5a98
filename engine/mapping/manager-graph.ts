/**
 * Manager cycles: A reports to B, B reports to A. The planner collects one edge per row
 * (employee key → manager key) and reports each cycle once, so the admin can fix the file before
 * the server refuses or, worse, accepts it.
 */

/**
 * The cycles in an employee → manager graph, each as the keys in reporting order starting at its
 * smallest key (`["a", "b"]` is a → b → a), sorted. A self-loop (someone is their own manager) is
 * a cycle of one. Each employee has one manager: when an employee appears with several managers,
 * the last edge wins. Iterative, linear in the number of edges.
 */
export function findManagerCycles(edges: Iterable<readonly [string, string]>): string[][] {
  const managerOf = new Map<string, string>();
  for (const [employee, manager] of edges) managerOf.set(employee, manager);

  /** Absent: not seen yet; 1: on the current walk; 2: done. */
  const state = new Map<string, 1 | 2>();
  const cycles: string[][] = [];
  for (const start of managerOf.keys()) {
    if (state.has(start)) continue;
    const walk: string[] = [];
    let node: string | undefined = start;
    while (node !== undefined && !state.has(node)) {
      state.set(node, 1);
      walk.push(node);
      node = managerOf.get(node);
    }
    if (node !== undefined && state.get(node) === 1) {
      cycles.push(rotateToSmallest(walk.slice(walk.indexOf(node))));
    }
    for (const n of walk) state.set(n, 2);
  }
  return cycles.sort((a, b) => compare(a[0] ?? '', b[0] ?? ''));
}

/** The cycle rotated so that it starts at its smallest key. */
function rotateToSmallest(cycle: string[]): string[] {
  let min = 0;
  cycle.forEach((k, i) => {
    if (compare(k, cycle[min] ?? '') < 0) min = i;
  });
  return [...cycle.slice(min), ...cycle.slice(0, min)];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
