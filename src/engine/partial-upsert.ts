/**
 * Partial upsert (Milvus 2.6.2+ "merge mode", `partial_update: true`): the fields a request gives
 * replace the stored row's, every other field keeps its stored value, and dynamic keys are merged
 * into the stored ones. As Milvus's proxy does, the stored rows are read first (a strong query, so
 * the collection must be loaded: 101 otherwise) — the live, unexpired row of each primary key in the
 * loaded segments (the named partition only, when one is named). A key that is not stored yet is an
 * insert: every field it lacks must be nullable or have a default (Milvus: "fieldSchema(<f>) has no
 * corresponding fieldData pass in", 1100). The merged rows then go through the ordinary upsert (one
 * WAL record per partition deleting the old rows and inserting the new), so they are whole rows
 * again on disk; stored values are copied column to column, never re-encoded.
 *
 * The fields a request gives are the union of its rows' keys (Milvus wants every row to carry the
 * same fields); a row lacking one of them is checked as a full row would be.
 */
import type { Column } from '../core/column.js';
import { ErrorCode, milvusInvalidParam, MilvusError, collectionNotLoaded } from '../core/errors.js';
import type { CollectionSchema } from '../core/schema.js';
import { copyRows, emptyColumn, fillAbsent, type PrimaryKey, type Segment } from '../storage/index.js';
import { LoadState } from '../core/data-type.js';
import type { CollectionRuntime } from './collection-runtime.js';
import { encodeRows, outputValue, type EncodedBatch, type Row } from './row-codec.js';

export interface PartialUpsert {
  batch: EncodedBatch;
  /** The rows as routing sees them: the request's rows with a stored partition key filled in. */
  routingRows: Row[];
}

/** The merged batch of a partial upsert (see the header). `partitionId`: the named partition, if any. */
export function mergePartialRows(rt: CollectionRuntime, rows: readonly Row[], partitionId: number | undefined): PartialUpsert {
  if (rt.load.state !== LoadState.Loaded) throw new MilvusError(ErrorCode.CollectionNotLoaded, `failed to query: ${collectionNotLoaded(rt.meta.name).message}`);
  const schema = rt.meta.schema;
  const given = givenFields(schema, rows);
  // Given fields keep their rules; the others may be absent from the request (filled in below).
  const relaxed: CollectionSchema = {
    ...schema,
    fields: schema.fields.map((f) => (given.has(f.name) || f.isPrimaryKey || f.isDynamic ? f : { ...f, nullable: true, defaultValue: undefined })),
  };
  const enc = encodeRows(relaxed, rows, null);
  const n = enc.n;
  const stored = storedRows(rt, enc.pks, partitionId);
  const columns = new Map<string, Column>();
  for (const f of schema.fields) {
    if (given.has(f.name) || f.isPrimaryKey) {
      columns.set(f.name, enc.columns.get(f.name)!);
      continue;
    }
    if (f.isDynamic) {
      const merged = emptyColumn(f, n);
      const fresh = enc.columns.get(f.name)!.data as unknown[];
      for (let i = 0; i < n; i++) {
        const hit = stored[i];
        const old = hit ? (hit.seg.column(f.name)?.data as unknown[] | undefined)?.[hit.row] : undefined;
        (merged.data as unknown[])[i] = old && typeof old === 'object' ? { ...(old as Row), ...(fresh[i] as Row) } : fresh[i];
      }
      columns.set(f.name, merged);
      continue;
    }
    const col = emptyColumn(f, n);
    for (let i = 0; i < n; i++) {
      const hit = stored[i];
      const src = hit?.seg.column(f.name);
      if (hit && src) copyRows(col, i, src, 1, hit.row);
      else if (f.isFunctionOutput) copyRows(col, i, enc.columns.get(f.name)!, 1, i); // computed from its input
      else if (f.defaultValue === undefined && !f.nullable) throw milvusInvalidParam(`fieldSchema(${f.name}) has no corresponding fieldData pass in`);
      else fillAbsent(col, f, i, i + 1);
    }
    columns.set(f.name, col);
  }
  const key = schema.fields.find((f) => f.isPartitionKey);
  const routingRows = key && !given.has(key.name)
    ? rows.map((r, i) => {
        const hit = stored[i];
        return hit ? { ...r, [key.name]: outputValue(hit.seg.column(key.name)!, hit.row) } : r;
      })
    : [...rows];
  return { batch: { columns, n, pks: enc.pks }, routingRows };
}

/**
 * Schema fields the request gives: the keys of its rows (dynamic keys are not fields), and a BM25
 * function's output when its input text is given (it is computed from it).
 */
function givenFields(schema: CollectionSchema, rows: readonly Row[]): Set<string> {
  const names = new Set(schema.fields.filter((f) => !f.isDynamic).map((f) => f.name));
  const given = new Set<string>();
  for (const r of rows) if (r && typeof r === 'object') for (const k of Object.keys(r)) if (names.has(k) && r[k] !== undefined) given.add(k);
  for (const fn of schema.functions ?? []) if (fn.inputFieldNames.some((x) => given.has(x))) for (const o of fn.outputFieldNames) given.add(o);
  return given;
}

/** Per request row, the stored live row of its primary key (latest write wins), or undefined. */
function storedRows(rt: CollectionRuntime, pks: readonly PrimaryKey[], partitionId: number | undefined): ({ seg: Segment; row: number } | undefined)[] {
  const expireBefore = rt.store.expireBefore();
  const parts = rt.load.partitions;
  const at = new Map<PrimaryKey, { seg: Segment; row: number }>();
  const wanted = [...new Set(pks)];
  for (const seg of rt.store.segments()) {
    if (partitionId !== undefined && seg.partitionId !== partitionId) continue;
    if (parts !== null && !parts.has(seg.partitionId)) continue;
    for (const row of seg.rowsOfPks(wanted)) if (seg.isLive(row, expireBefore)) at.set(seg.pkAt(row), { seg, row });
  }
  return pks.map((p) => at.get(p));
}
