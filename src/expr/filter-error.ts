/** Filter errors: MilvusError 1100 whose message starts with the position, `column 12: ...`. */
import { ErrorCode, MilvusError } from '../core/errors.js';
import type { Pos } from './ast.js';

export function where(pos: Pos): string {
  return pos.line > 1 ? `line ${pos.line}, column ${pos.column}` : `column ${pos.column}`;
}

export function filterError(pos: Pos, message: string): MilvusError {
  return new MilvusError(ErrorCode.ParameterInvalid, `${where(pos)}: ${message}`);
}
