/**
 * A fixed-size bitset over segment row offsets, 32 bits a word. Filters compile to bitsets, delete
 * masks are bitsets, and indexes take one as the set of rows a search may return.
 */
export class Bitset {
  readonly words: Uint32Array;

  constructor(
    readonly size: number,
    words?: Uint32Array,
  ) {
    this.words = words ?? new Uint32Array((size + 31) >>> 5);
  }

  static full(size: number): Bitset {
    const b = new Bitset(size);
    b.words.fill(0xffffffff);
    b.clearTail();
    return b;
  }

  static fromIndices(size: number, rows: Iterable<number>): Bitset {
    const b = new Bitset(size);
    for (const r of rows) if (r >= 0 && r < size) b.set(r);
    return b;
  }

  get(i: number): boolean {
    return ((this.words[i >>> 5]! >>> (i & 31)) & 1) === 1;
  }

  set(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }

  clear(i: number): void {
    this.words[i >>> 5]! &= ~(1 << (i & 31));
  }

  clone(): Bitset {
    return new Bitset(this.size, this.words.slice());
  }

  /** In place: this = this AND other. Returns this. */
  and(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i]! &= b[i]!;
    return this;
  }

  or(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i]! |= b[i]!;
    return this;
  }

  /** this = this AND NOT other. */
  andNot(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let i = 0; i < a.length; i++) a[i]! &= ~b[i]!;
    return this;
  }

  not(): this {
    const a = this.words;
    for (let i = 0; i < a.length; i++) a[i] = ~a[i]!;
    this.clearTail();
    return this;
  }

  count(): number {
    let n = 0;
    const a = this.words;
    for (let i = 0; i < a.length; i++) {
      let v = a[i]!;
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      n += (((v + (v >>> 4)) & 0xf0f0f0f) * 0x1010101) >>> 24;
    }
    return n;
  }

  /** Row offsets of set bits, ascending. */
  *indices(): IterableIterator<number> {
    const a = this.words;
    for (let w = 0; w < a.length; w++) {
      let v = a[w]!;
      while (v !== 0) {
        const t = v & -v;
        yield (w << 5) + (31 - Math.clz32(t));
        v ^= t;
      }
    }
  }

  toArray(): Int32Array {
    const out = new Int32Array(this.count());
    let k = 0;
    for (const i of this.indices()) out[k++] = i;
    return out;
  }

  /** A copy resized to `size` rows: new rows are clear (or set, with `fill`). */
  resized(size: number, fill = false): Bitset {
    const b = fill ? Bitset.full(size) : new Bitset(size);
    const n = Math.min(this.words.length, b.words.length);
    b.words.set(this.words.subarray(0, n));
    if (fill && size > this.size) for (let i = this.size; i < Math.min(size, n * 32); i++) b.set(i);
    b.clearTail();
    return b;
  }

  private clearTail(): void {
    const rem = this.size & 31;
    if (rem !== 0 && this.words.length > 0) this.words[this.words.length - 1]! &= (1 << rem) - 1;
  }
}
