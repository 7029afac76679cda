/** Text → frozen AST, with peggy syntax errors turned into MilvusError 1100 carrying the position. */
import { ErrorCode, MilvusError } from '../core/errors.js';
import type { Node } from './ast.js';
import { filterError } from './filter-error.js';
import { parse as peggyParse, SyntaxError as PeggySyntaxError } from './grammar/filter.generated.js';

/** Longest filter text accepted (large enough for `pk in [...]` with many thousands of keys). */
export const MAX_FILTER_LENGTH = 4 * 1024 * 1024;

export function parseFilter(text: string): Node {
  if (typeof text !== 'string') throw new MilvusError(ErrorCode.ParameterInvalid, 'column 1: filter must be a string');
  if (text.trim() === '') throw new MilvusError(ErrorCode.ParameterInvalid, 'column 1: filter expression is empty');
  if (text.length > MAX_FILTER_LENGTH) {
    throw new MilvusError(ErrorCode.ParameterInvalid, `column 1: filter expression is ${text.length} characters long, the limit is ${MAX_FILTER_LENGTH}`);
  }
  let ast: unknown;
  try {
    ast = peggyParse(text);
  } catch (err) {
    if (err instanceof PeggySyntaxError) throw filterError(err.location.start, describeSyntaxError(err, text));
    if (err instanceof RangeError) throw new MilvusError(ErrorCode.ParameterInvalid, 'column 1: filter expression is nested too deeply');
    throw MilvusError.from(err);
  }
  return deepFreeze(ast) as Node;
}

function describeSyntaxError(err: PeggySyntaxError, text: string): string {
  if (err.expected === null) return err.message.replace(/\.$/, '');
  const at = err.location.start.offset;
  const found = at >= text.length ? 'end of expression' : `"${text.slice(at, at + 12).split(/\s/)[0] || text[at]}"`;
  const wanted = new Set<string>();
  for (const e of err.expected) {
    if (e.type === 'literal' && e.text !== undefined) wanted.add(`"${e.text}"`);
    else if (e.type === 'other' && e.description !== undefined) wanted.add(e.description);
  }
  const closers = [...wanted].filter((w) => w === '")"' || w === '"]"' || w === '","' || w === '"}"');
  let list: string[];
  // Peggy lists every token that could come next; summarise the big groups in words.
  if (wanted.has('"("') && wanted.has('"["')) list = ['a field, constant, "(" or function call', ...closers];
  else if (wanted.has('"=="') || wanted.has('"and"') || wanted.has('"+"') || wanted.has('"**"')) list = ['an operator', ...closers];
  else if (wanted.has('"\\"')) list = ['a closing quote'];
  else list = [...wanted].filter((w) => w !== '" "').slice(0, 6);
  const hint = list.length > 0 ? `; expected ${list.join(' or ')}` : '';
  return `syntax error at ${found}${hint}`;
}

/** Freezes every object reachable from `root` (iteratively: generated filters can be very deep). */
function deepFreeze(root: unknown): unknown {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
      Object.freeze(v);
      for (const x of Object.values(v)) stack.push(x);
    }
  }
  return root;
}
