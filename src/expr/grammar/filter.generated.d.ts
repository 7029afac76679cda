// Hand-written types for the peggy-generated parser (filter.generated.js). The node shapes it
// returns are described by RawNode in ../ast.ts.
export interface PeggyLocation {
  start: { offset: number; line: number; column: number };
  end: { offset: number; line: number; column: number };
}
export interface PeggyExpectation {
  type: string;
  text?: string;
  description?: string;
}
export class SyntaxError extends globalThis.Error {
  expected: PeggyExpectation[] | null;
  found: string | null;
  location: PeggyLocation;
}
export const StartRules: string[];
export function parse(input: string, options?: { startRule?: string; grammarSource?: string }): unknown;
