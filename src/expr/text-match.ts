/**
 * text_match / phrase_match in the filter language, as Milvus 2.6's plan parser takes them
 * (internal/parser/planparserv2: Plan.g4 TextMatch / PhraseMatch, VisitTextMatch, VisitPhraseMatch):
 *
 *   text_match(field, 'query')                          any analysed token of the query
 *   text_match(field, 'query', minimum_should_match=N)  at least N tokens; N a constant integer 1..1000
 *   phrase_match(field, 'phrase')                       the tokens adjacent and in order (slop 0)
 *   phrase_match(field, 'phrase', slop)                 slop a constant integer 0..2^32−1
 *
 * The field must be a VarChar with enable_analyzer and enable_match; the query a string (a constant
 * or a template value). The check gives the `match` predicate; `MatchLeaf` evaluates it over the
 * segment's text-match index (src/text/match-index.ts), built or caught up on first use.
 */
import { Bitset } from '../core/bitset.js';
import type { CollectionSchema, FieldSchema } from '../core/schema.js';
import type { SegmentView } from '../core/segment-view.js';
import { matchIndexOf } from '../text/index.js';
import type { Node } from './ast.js';
import type { Ctx, Evaluator } from './eval/evaluator.js';
import { restrict, validRows } from './eval/evaluator.js';
import { columnOf } from './eval/values.js';
import { filterError } from './filter-error.js';
import type { Const, Pred } from './plan.js';
import { resolveField } from './resolve-field.js';

const MAX_SLOP = 2 ** 32 - 1;
const MAX_MIN_SHOULD_MATCH = 1000;

type CallNode = Extract<Node, { kind: 'call' }>;

function isInteger(v: Const): v is bigint | number {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
}

export function checkMatch(n: CallNode, schema: CollectionSchema, constValue: (n: Node, message: string) => Const): Pred {
  const name = n.name;
  const first = n.args[0];
  const field = first !== undefined && first.kind === 'field' ? resolveField(first, schema) : undefined;
  const label = first !== undefined && first.kind === 'field' ? `"${first.name}"` : 'its first argument';
  const enabled = field !== undefined && field.k === 'column' && field.type === 'string'
    && field.field.typeParams['enable_analyzer'] === 'true' && field.field.typeParams['enable_match'] === 'true';
  if (!enabled) throw filterError(n.pos, `${name} needs a VarChar field with enable_analyzer and enable_match set; ${label} is not one`);
  const f: FieldSchema = field.field;
  const plain = n.args.filter((a): a is Node => a.kind !== 'option');
  const options = n.args.filter((a) => a.kind === 'option');
  const usage = name === 'text_match'
    ? 'text_match(field, "text"[, minimum_should_match=N])'
    : 'phrase_match(field, "phrase"[, slop])';
  const maxPlain = name === 'text_match' ? 2 : 3;
  if (plain.length < 2 || plain.length > maxPlain || (name === 'phrase_match' && options.length > 0) || options.length > 1) {
    throw filterError(n.pos, `${name} takes ${usage}`);
  }
  const query = constValue(plain[1]!, `${name} needs a string as its second argument`);
  if (typeof query !== 'string') throw filterError(n.pos, `${name} needs a string as its second argument, e.g. ${usage}`);
  let minShouldMatch = 1;
  let slop = 0;
  const option = options[0];
  if (option !== undefined && option.kind === 'option') {
    if (option.name.toLowerCase() !== 'minimum_should_match') {
      throw filterError(option.pos, `text_match has no option "${option.name}"; the only option is minimum_should_match`);
    }
    const v = constValue(option.value, 'minimum_should_match should be a constant integer');
    if (!isInteger(v)) throw filterError(option.pos, 'minimum_should_match should be a constant integer');
    if (v < 1) throw filterError(option.pos, `minimum_should_match should be >= 1, got ${v}`);
    if (v > MAX_MIN_SHOULD_MATCH) throw filterError(option.pos, `minimum_should_match should be <= ${MAX_MIN_SHOULD_MATCH}, got ${v}`);
    minShouldMatch = Number(v);
  }
  if (plain[2] !== undefined) {
    const v = constValue(plain[2], 'the slop of phrase_match should be a constant integer');
    if (!isInteger(v)) throw filterError(plain[2].pos, 'the slop of phrase_match should be a constant integer');
    if (v < 0) throw filterError(plain[2].pos, `the slop of phrase_match should not be negative, got ${v}`);
    if (v > MAX_SLOP) throw filterError(plain[2].pos, `the slop of phrase_match exceeds the uint32 range, got ${v}`);
    slop = Number(v);
  }
  return { p: 'match', kind: name === 'text_match' ? 'text' : 'phrase', field: f, query, minShouldMatch, slop };
}

/** The rows a `match` predicate holds for, from the segment's text-match index. */
export class MatchLeaf implements Evaluator {
  readonly cost = 3;
  constructor(private readonly p: Extract<Pred, { p: 'match' }>) {}

  private rows(seg: SegmentView, n: number): Bitset {
    const col = seg.column(this.p.field.name);
    if (col === undefined) return new Bitset(n);
    const idx = matchIndexOf(seg, this.p.field);
    return this.p.kind === 'text' ? idx.textMatch(this.p.query, this.p.minShouldMatch, n) : idx.phraseMatch(this.p.query, this.p.slop, n);
  }

  t(ctx: Ctx, within: Bitset | null): Bitset {
    return restrict(this.rows(ctx.seg, ctx.n), within);
  }

  f(ctx: Ctx, within: Bitset | null): Bitset {
    const valid = validRows(columnOf(ctx, this.p.field.name).valid, ctx.n);
    return restrict(valid.andNot(this.rows(ctx.seg, ctx.n)), within);
  }
}
