/**
 * An Aho-Corasick automaton over place names: finds every occurrence of every name in one pass over
 * the text, however many hundred names there are. Pure; build once per name list and reuse.
 */

export interface NameMatch<T> {
  name: string;
  /** Code-unit offsets into the searched text; `end` is exclusive. */
  start: number;
  end: number;
  values: readonly T[];
}

interface Node {
  next: Map<string, number>;
  fail: number;
  /** Index into `patterns` of the pattern ending here, if any. */
  pattern: number;
  /** Nearest node on the failure chain that ends a pattern (the "dictionary suffix link"). */
  output: number;
}

export class NameAutomaton<T> {
  private readonly nodes: Node[] = [{ next: new Map(), fail: 0, pattern: -1, output: -1 }];
  private readonly patterns: { name: string; values: T[] }[] = [];

  constructor(entries: Iterable<readonly [name: string, value: T]>) {
    const byName = new Map<string, number>();
    for (const [name, value] of entries) {
      if (name.length === 0) continue;
      const existing = byName.get(name);
      if (existing !== undefined) {
        this.patterns[existing]!.values.push(value);
        continue;
      }
      byName.set(name, this.patterns.length);
      this.insert(name, this.patterns.length);
      this.patterns.push({ name, values: [value] });
    }
    this.link();
  }

  get size(): number {
    return this.patterns.length;
  }

  private insert(name: string, pattern: number): void {
    let state = 0;
    for (const char of name) {
      let target = this.nodes[state]!.next.get(char);
      if (target === undefined) {
        target = this.nodes.length;
        this.nodes.push({ next: new Map(), fail: 0, pattern: -1, output: -1 });
        this.nodes[state]!.next.set(char, target);
      }
      state = target;
    }
    this.nodes[state]!.pattern = pattern;
  }

  /** Breadth-first, so every failure link points at an already-finished shallower node. */
  private link(): void {
    const queue: number[] = [];
    for (const child of this.nodes[0]!.next.values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const node = this.nodes[state]!;
      for (const [char, child] of node.next) {
        let fallback = node.fail;
        while (fallback !== 0 && !this.nodes[fallback]!.next.has(char)) fallback = this.nodes[fallback]!.fail;
        const candidate = this.nodes[fallback]!.next.get(char);
        const childNode = this.nodes[child]!;
        childNode.fail = candidate !== undefined && candidate !== child ? candidate : 0;
        const failNode = this.nodes[childNode.fail]!;
        childNode.output = failNode.pattern >= 0 ? childNode.fail : failNode.output;
        queue.push(child);
      }
    }
  }

  /** Every occurrence of every name, overlapping ones included, ordered by start then length (longest first). */
  findAll(text: string): NameMatch<T>[] {
    const matches: NameMatch<T>[] = [];
    let state = 0;
    let offset = 0;
    for (const char of text) {
      offset += char.length;
      while (state !== 0 && !this.nodes[state]!.next.has(char)) state = this.nodes[state]!.fail;
      state = this.nodes[state]!.next.get(char) ?? 0;
      for (let hit = this.nodes[state]!.pattern >= 0 ? state : this.nodes[state]!.output; hit > 0; ) {
        const pattern = this.patterns[this.nodes[hit]!.pattern]!;
        matches.push({
          name: pattern.name,
          start: offset - pattern.name.length,
          end: offset,
          values: pattern.values,
        });
        hit = this.nodes[hit]!.output;
      }
    }
    return matches.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  /**
   * Whole-name mentions: longest first, and a name inside (or overlapping) an already chosen longer
   * one does not count, so 虞山 inside 虞山林场 is not a mention of 虞山. Returned in text order.
   */
  findLongest(text: string): NameMatch<T>[] {
    const all = this.findAll(text).sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
    const chosen: NameMatch<T>[] = [];
    for (const match of all) {
      if (chosen.every((kept) => match.end <= kept.start || match.start >= kept.end)) chosen.push(match);
    }
    return chosen.sort((a, b) => a.start - b.start);
  }
}
