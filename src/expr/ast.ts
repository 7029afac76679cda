/**
 * The filter AST as the peggy grammar builds it: plain objects discriminated on `kind`, deep-frozen by
 * `parseFilter`. Positions are those of the operator (binary nodes) or of the primary's first character.
 */

export interface Pos {
  readonly offset: number;
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '%' | '**';

export interface IntLit { readonly kind: 'int'; readonly value: bigint; readonly text: string; readonly pos: Pos }
export interface FloatLit { readonly kind: 'float'; readonly value: number; readonly text: string; readonly pos: Pos }
export interface StringLit { readonly kind: 'string'; readonly value: string; readonly pos: Pos }
/** `ISO '2025-01-01T00:00:00Z'`: a TIMESTAMPTZ constant. */
export interface IsoLit { readonly kind: 'iso'; readonly value: string; readonly pos: Pos }
/** `INTERVAL 'P1D'`: an ISO 8601 duration, only as `timestamptz_field ± INTERVAL '…'`. */
export interface IntervalLit { readonly kind: 'interval'; readonly value: string; readonly pos: Pos }
export interface BoolLit { readonly kind: 'bool'; readonly value: boolean; readonly pos: Pos }
export interface ListLit { readonly kind: 'list'; readonly items: readonly Node[]; readonly pos: Pos }
export interface Template { readonly kind: 'template'; readonly name: string; readonly pos: Pos }
/** `name`, `$meta`, `name["a"][0]`: a field with an optional JSON/array accessor path. */
export interface FieldRef { readonly kind: 'field'; readonly name: string; readonly path: readonly (string | number)[]; readonly pos: Pos }
export interface Unary { readonly kind: 'unary'; readonly op: '+' | '-' | '~' | 'not'; readonly operand: Node; readonly pos: Pos }
export interface Arith { readonly kind: 'arith'; readonly op: ArithOp; readonly left: Node; readonly right: Node; readonly pos: Pos }
export interface Bitwise { readonly kind: 'bitwise'; readonly op: string; readonly left: Node; readonly right: Node; readonly pos: Pos }
export interface Logical { readonly kind: 'logical'; readonly op: 'and' | 'or'; readonly left: Node; readonly right: Node; readonly pos: Pos }
export interface Compare { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Node; readonly right: Node; readonly pos: Pos }
/** `lower lowerOp operand upperOp upper`, e.g. `10 < age <= 20`. */
export interface Range {
  readonly kind: 'range';
  readonly lower: Node;
  readonly lowerOp: '<' | '<=' | '>' | '>=';
  readonly operand: Node;
  readonly upperOp: '<' | '<=' | '>' | '>=';
  readonly upper: Node;
  readonly pos: Pos;
}
export interface In { readonly kind: 'in'; readonly operand: Node; readonly list: Node; readonly negated: boolean; readonly pos: Pos }
export interface Like { readonly kind: 'like'; readonly operand: Node; readonly pattern: Node; readonly pos: Pos }
export interface IsNull { readonly kind: 'isNull'; readonly operand: FieldRef; readonly negated: boolean; readonly pos: Pos }
export interface Exists { readonly kind: 'exists'; readonly operand: Node; readonly pos: Pos }
export interface Call { readonly kind: 'call'; readonly name: string; readonly args: readonly (Node | CallOption)[]; readonly pos: Pos }
/** `name=value` inside a call, e.g. text_match's `minimum_should_match=2`. */
export interface CallOption { readonly kind: 'option'; readonly name: string; readonly value: Node; readonly pos: Pos }

export type Literal = IntLit | FloatLit | StringLit | BoolLit | ListLit | IsoLit | IntervalLit;
export type Node = Literal | Template | FieldRef | Unary | Arith | Bitwise | Logical | Compare | Range | In | Like | IsNull | Exists | Call;
