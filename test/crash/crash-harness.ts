/** Shared by the crash tests: run a child until SIGKILL, and the acknowledged-operations model. */
import { spawn } from 'node:child_process';

export interface Op {
  op: string;
  pks?: string[];
  ver?: number;
  /** Row count of an insert whose ids the child does not know before it is acknowledged (auto-id). */
  n?: number;
}

/** pk (decimal string) → version; absent = not present. */
export type Model = Map<string, number>;

export function apply(model: Model, op: Op): void {
  if (op.op === 'insert') for (const pk of op.pks ?? []) model.set(pk, 0);
  else if (op.op === 'upsert') for (const pk of op.pks ?? []) model.set(pk, op.ver!);
  else if (op.op === 'delete') for (const pk of op.pks ?? []) model.delete(pk);
  else if (op.op === 'truncate') model.clear();
}

/** Runs `child` until killed `ms` after its READY line; returns acknowledged ops and the op in flight. */
export function runChild(child: string, dir: string, seed: number, ms: number): Promise<{ acked: Op[]; inflight: Op | null; errors: string[] }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: Op[] = [];
    const errors: string[] = [];
    let inflight: Op | null = null;
    let buf = '';
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'READY') setTimeout(() => proc.kill('SIGKILL'), ms);
        else if (line.startsWith('B ')) inflight = JSON.parse(line.slice(2)) as Op;
        else if (line.startsWith('A ')) {
          acked.push(JSON.parse(line.slice(2)) as Op);
          inflight = null;
        } else if (line.startsWith('ERROR') || line.startsWith('BGERROR')) errors.push(line);
      }
    });
    const guard = setTimeout(() => proc.kill('SIGKILL'), ms + 30_000);
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') errors.push(`child exited with code ${code}: ${stderr.slice(-2000)}`);
      resolve({ acked, inflight, errors });
    });
  });
}

/**
 * Checks the state read back after a restart: every acknowledged pk at its latest acknowledged
 * version, nothing else (pks touched by the op in flight may be before or after it). Returns a
 * description of the first violation, or null. `atomicUpsert`: an upsert in flight must not leave a
 * row missing (storage's upsert is one WAL record).
 */
export function checkState(model: Model, inflight: Op | null, actual: Model, atomicUpsert = true): string | null {
  if (inflight?.op === 'truncate' && actual.size === 0) return null;
  const after = new Map(model);
  if (inflight) apply(after, inflight);
  const maybe = new Set(inflight?.pks ?? []);
  for (const [pk, ver] of model) {
    if (maybe.has(pk)) {
      // An upsert in flight leaves each row at its old or its new version, never without one.
      if (atomicUpsert && inflight?.op === 'upsert' && !actual.has(pk)) return `pk ${pk} vanished during an unacknowledged upsert`;
      continue;
    }
    if (actual.get(pk) !== ver) return `acknowledged pk ${pk} should be version ${ver}, found ${actual.get(pk) ?? 'nothing'}`;
  }
  let unknownInserts = inflight?.op === 'insert' && !inflight.pks ? (inflight.n ?? 0) : 0;
  for (const [pk, ver] of actual) {
    if (!model.has(pk) && !maybe.has(pk) && unknownInserts > 0 && ver === 0) {
      unknownInserts--;
      continue;
    }
    if (maybe.has(pk)) {
      if (model.get(pk) !== ver && after.get(pk) !== ver) return `in-flight pk ${pk} has version ${ver}`;
      continue;
    }
    if (!model.has(pk)) return `pk ${pk} present but deleted or never acknowledged`;
  }
  return null;
}
