/**
 * `like` patterns: `%` any run of characters, `_` exactly one character, `\%` `\_` `\\` literals.
 * Classified so the common shapes run as startsWith / endsWith / includes / ===.
 */

export type LikeShape =
  | { readonly kind: 'exact'; readonly text: string }
  | { readonly kind: 'prefix'; readonly text: string }
  | { readonly kind: 'suffix'; readonly text: string }
  | { readonly kind: 'infix'; readonly text: string }
  | { readonly kind: 'regex'; readonly re: RegExp; readonly prefix: string; readonly pieces: readonly string[] };

type Tok = { lit: string } | { any: true } | { one: true };

function tokenize(pattern: string): Tok[] {
  const toks: Tok[] = [];
  let lit = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\' && i + 1 < chars.length) {
      lit += chars[++i]!;
    } else if (c === '%' || c === '_') {
      if (lit !== '') toks.push({ lit });
      lit = '';
      if (c === '_') toks.push({ one: true });
      else if (!(toks.length > 0 && 'any' in toks[toks.length - 1]!)) toks.push({ any: true });
    } else lit += c;
  }
  if (lit !== '') toks.push({ lit });
  return toks;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function likeShape(pattern: string): LikeShape {
  const toks = tokenize(pattern);
  const isLit = (t: Tok | undefined): t is { lit: string } => t !== undefined && 'lit' in t;
  const isAny = (t: Tok | undefined): boolean => t !== undefined && 'any' in t;
  if (toks.length === 0) return { kind: 'exact', text: '' };
  if (toks.length === 1 && isLit(toks[0])) return { kind: 'exact', text: toks[0].lit };
  if (toks.length === 1 && isAny(toks[0])) return { kind: 'prefix', text: '' };
  if (toks.length === 2 && isLit(toks[0]) && isAny(toks[1])) return { kind: 'prefix', text: toks[0].lit };
  if (toks.length === 2 && isAny(toks[0]) && isLit(toks[1])) return { kind: 'suffix', text: toks[1].lit };
  if (toks.length === 3 && isAny(toks[0]) && isLit(toks[1]) && isAny(toks[2])) return { kind: 'infix', text: toks[1].lit };
  const body = toks.map((t) => ('lit' in t ? escapeRe(t.lit) : 'any' in t ? '.*' : '.')).join('');
  return { kind: 'regex', re: new RegExp(`^${body}$`, 'su'), prefix: isLit(toks[0]) ? toks[0].lit : '', pieces: toks.filter(isLit).map((t) => t.lit) };
}

export function likeMatcher(shape: LikeShape): (s: string) => boolean {
  switch (shape.kind) {
    case 'exact': {
      const t = shape.text;
      return (s) => s === t;
    }
    case 'prefix': {
      const t = shape.text;
      return (s) => s.startsWith(t);
    }
    case 'suffix': {
      const t = shape.text;
      return (s) => s.endsWith(t);
    }
    case 'infix': {
      const t = shape.text;
      return (s) => s.includes(t);
    }
    case 'regex': {
      const re = shape.re;
      return (s) => re.test(s);
    }
  }
}

/** The literal runs every match contains (between `%` and `_`). */
export function likePieces(shape: LikeShape): readonly string[] {
  return shape.kind === 'regex' ? shape.pieces : [shape.text];
}
