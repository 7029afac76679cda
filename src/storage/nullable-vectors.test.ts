// Nullable vector columns on disk: the validity bitmap of a vector column survives a segment file
// (format 2) and a WAL insert record, with the null rows' placeholders in place; a format 1 segment
// file (written before nullable vectors) is still read; an unknown version is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Column, SparseRow } from '../core/column.js';
import { crc32c } from '../core/checksum.js';
import { DataType } from '../core/data-type.js';
import { ByteReader } from './bytes.js';
import { encodeSegmentFile, readSegmentFile } from './segment-file.js';
import { insertRecord, readInsert } from './wal-record.js';
import { LSN_OFFSET } from './wal.js';

const N = 7;
const isNull = (r: number): boolean => r % 3 === 0;

function columns(): Map<string, Column> {
  const valid = Uint8Array.from({ length: N }, (_, r) => (isNull(r) ? 0 : 1));
  const vec = new Float32Array(N * 2);
  const sp: SparseRow[] = new Array<SparseRow>(N);
  for (let r = 0; r < N; r++) {
    if (isNull(r)) continue;
    vec.set([r, -r], r * 2);
    sp[r] = { indices: Uint32Array.of(r), values: Float32Array.of(r / 2) };
  }
  return new Map<string, Column>([
    ['id', { type: DataType.Int64, data: BigInt64Array.from({ length: N }, (_, r) => BigInt(r)), valid: null }],
    ['vec', { type: DataType.FloatVector, dim: 2, data: vec, valid: valid.slice() }],
    ['sp', { type: DataType.SparseFloatVector, dim: 0, data: sp, valid: valid.slice() }],
  ]);
}

function check(cols: Map<string, Column>): void {
  const vec = cols.get('vec')!;
  const sp = cols.get('sp')!;
  assert.deepEqual(Array.from(vec.valid!), Array.from({ length: N }, (_, r) => (isNull(r) ? 0 : 1)));
  assert.deepEqual(Array.from(sp.valid!), Array.from(vec.valid!));
  for (let r = 0; r < N; r++) {
    assert.deepEqual(Array.from((vec.data as Float32Array).subarray(r * 2, r * 2 + 2)), isNull(r) ? [0, 0] : [r, -r]);
    const row = (sp.data as SparseRow[])[r]!;
    assert.deepEqual(Array.from(row.indices), isNull(r) ? [] : [r]);
  }
}

test('a nullable vector column keeps its validity through a segment file and a WAL insert record', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-nv-'));
  try {
    const path = join(dir, 'seg-1.seg');
    const bytes = encodeSegmentFile({ segmentId: 1, partitionId: 1, rowCount: N, sealLsn: 0 }, columns(), 'id');
    assert.equal(new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true), 2, 'written as format 2');
    writeFileSync(path, bytes);
    check((await readSegmentFile(path)).columns);

    const rec = insertRecord({ collectionId: 1, partitionId: 1, segmentId: 1 }, columns(), N);
    const r = new ByteReader(rec.subarray(LSN_OFFSET + 8), 'wal');
    check(readInsert(r).columns);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a format 1 segment file is still read; an unknown format version is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elanus-nv-'));
  try {
    const cols = columns();
    // Format 1 had no vector validity: the same file without it, with version 1 in its header.
    for (const name of ['vec', 'sp']) (cols.get(name) as { valid: Uint8Array | null }).valid = null;
    const bytes = encodeSegmentFile({ segmentId: 2, partitionId: 1, rowCount: N, sealLsn: 0 }, cols, 'id');
    const setVersion = (v: number): Uint8Array => {
      const b = bytes.slice();
      const dv = new DataView(b.buffer);
      dv.setUint32(4, v, true);
      dv.setUint32(60, crc32c(b.subarray(0, 60)), true);
      return b;
    };
    const v1 = join(dir, 'seg-2.seg');
    writeFileSync(v1, setVersion(1));
    const read = await readSegmentFile(v1);
    assert.equal(read.rowCount, N);
    assert.equal(read.columns.get('vec')!.valid, null);
    assert.deepEqual(Array.from(read.columns.get('vec')!.data as Float32Array), Array.from(cols.get('vec')!.data as Float32Array));
    const v3 = join(dir, 'seg-3.seg');
    writeFileSync(v3, setVersion(3));
    await assert.rejects(readSegmentFile(v3), (e: { code?: number; message?: string }) => e.code === 1002 && /unsupported segment format version 3/.test(e.message ?? ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
