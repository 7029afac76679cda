/**
 * NGRAM (Milvus 2.6) on a VarChar field: for every gram length in [min_gram, max_gram], the rows whose
 * value contains each gram. A `like` pattern's literal pieces (the text between `%` and `_`) must all
 * occur in a matching value, so the rows holding every max-length gram of every piece at least
 * min_gram long are the candidates; the exact `like` test then runs on just those rows (Milvus's
 * n-gram prefilter + verification). A pattern with no such piece is answered by a scan. Grams are
 * taken over UTF-16 code units, the same way on both sides, so no match is ever lost.
 */
import { Bitset } from '../../core/bitset.js';
import type { Column } from '../../core/column.js';
import { DataType } from '../../core/data-type.js';
import { unexpected } from '../../core/errors.js';

export class NgramIndex {
  readonly type = 'NGRAM';

  private constructor(
    readonly rowCount: number,
    readonly minGram: number,
    readonly maxGram: number,
    private readonly postings: ReadonlyMap<string, Uint32Array>,
  ) {}

  static build(column: Column, rowCount: number, minGram: number, maxGram: number): NgramIndex {
    if (column.type !== DataType.VarChar) throw unexpected('NGRAM needs a VarChar column');
    const data = column.data as readonly string[];
    const valid = column.valid;
    const lists = new Map<string, number[]>();
    for (let r = 0; r < rowCount; r++) {
      if (valid !== null && valid[r] === 0) continue;
      const s = data[r] ?? '';
      for (let k = minGram; k <= maxGram; k++) {
        for (let i = 0; i + k <= s.length; i++) {
          const g = s.substring(i, i + k);
          const list = lists.get(g);
          if (list === undefined) lists.set(g, [r]);
          else if (list[list.length - 1] !== r) list.push(r);
        }
      }
    }
    const postings = new Map<string, Uint32Array>();
    for (const [g, list] of lists) postings.set(g, Uint32Array.from(list));
    return new NgramIndex(rowCount, minGram, maxGram, postings);
  }

  /** Rows that can hold every piece (a superset of the matches), or undefined when no piece is long enough to use. */
  candidates(pieces: readonly string[]): Bitset | undefined {
    const grams = new Set<string>();
    for (const p of pieces) {
      if (p.length < this.minGram) continue;
      const k = Math.min(p.length, this.maxGram);
      for (let i = 0; i + k <= p.length; i++) grams.add(p.substring(i, i + k));
    }
    if (grams.size === 0) return undefined;
    const lists = [...grams].map((g) => this.postings.get(g) ?? new Uint32Array(0)).sort((a, b) => a.length - b.length);
    const out = Bitset.fromIndices(this.rowCount, lists[0]!);
    for (let i = 1; i < lists.length && out.count() > 0; i++) out.and(Bitset.fromIndices(this.rowCount, lists[i]!));
    return out;
  }

  memoryBytes(): number {
    let n = 0;
    for (const [g, rows] of this.postings) n += 2 * g.length + rows.byteLength + 48;
    return n;
  }
}

export function isNgramIndex(v: unknown): v is NgramIndex {
  return v instanceof NgramIndex;
}
