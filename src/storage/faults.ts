/**
 * @internal The storage fault injector: every write, fsync and rename the storage layer makes to a
 * durable file (WAL, manifest, segment, delete and index files) passes through `faultPoint` first.
 * Tests arm rules ("fail the 3rd fsync with EIO", "fail every write under /x with ENOSPC until
 * cleared"); a matching call throws the errno error Node's fs would (code, errno, syscall, path), so
 * the code above it cannot tell an injected fault from a real one. Unarmed, a fault point costs one
 * array length check.
 */

export type FaultOp = 'write' | 'fsync' | 'rename';
export type FaultCode = 'ENOSPC' | 'EIO';

export interface FaultRule {
  op: FaultOp;
  code: FaultCode;
  /** Fail from the nth matching call after arming (1 = the next one). Default 1. */
  nth?: number;
  /** How many calls fail from there on (default 1; Infinity = until cleared). */
  times?: number;
  /** Only paths containing this string. */
  pathIncludes?: string;
}

interface Armed extends Required<Omit<FaultRule, 'pathIncludes'>> {
  pathIncludes: string | undefined;
  seen: number;
  failed: number;
}

const ERRNO: Record<FaultCode, { errno: number; text: string }> = {
  ENOSPC: { errno: -28, text: 'no space left on device' },
  EIO: { errno: -5, text: 'i/o error' },
};

const SYSCALL: Record<FaultOp, string> = { write: 'write', fsync: 'fsync', rename: 'rename' };

/** What an injected fault throws: shaped like Node's fs errors (code, errno, syscall, path). */
export class InjectedFault extends Error {
  constructor(
    message: string,
    readonly code: FaultCode,
    readonly errno: number,
    readonly syscall: string,
    readonly path: string,
  ) {
    super(message);
  }
}

let rules: Armed[] = [];
/** Calls that failed, for tests to assert the fault was actually hit. */
let hits = 0;

export const storageFaults = {
  /** Adds a rule; rules are checked in arming order, the first match fails the call. */
  arm(rule: FaultRule): void {
    rules.push({ op: rule.op, code: rule.code, nth: rule.nth ?? 1, times: rule.times ?? 1, pathIncludes: rule.pathIncludes, seen: 0, failed: 0 });
  },
  /** Removes every rule (the fault "clears"). */
  clear(): void {
    rules = [];
  },
  /** Calls failed by injection since the process started. */
  get hits(): number {
    return hits;
  },
  get armed(): boolean {
    return rules.length > 0;
  },
};

/** Throws the armed fault for this call, if any. */
export function faultPoint(op: FaultOp, path: string): void {
  if (rules.length === 0) return;
  for (const r of rules) {
    if (r.op !== op || (r.pathIncludes !== undefined && !path.includes(r.pathIncludes))) continue;
    r.seen++;
    if (r.seen < r.nth || r.failed >= r.times) continue;
    r.failed++;
    hits++;
    const e = ERRNO[r.code];
    throw new InjectedFault(`${r.code}: ${e.text}, ${SYSCALL[op]} '${path}'`, r.code, e.errno, SYSCALL[op], path);
  }
}
