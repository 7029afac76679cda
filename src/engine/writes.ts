/**
 * The write service: insert, upsert and delete (validated whole before anything is written; visible
 * only once durable, see storage's CollectionStore), flush and flush state.
 */
import { refreshMatchIndexes } from './text-match-indexes.js';
import { DataType } from '../core/data-type.js';
import { invalidParam } from '../core/errors.js';
import { primaryField } from '../core/schema.js';
import { gatherRows } from '../storage/index.js';
import type { Column } from '../core/column.js';
import { requestFilter, requireLoaded, type CollectionRuntime } from './collection-runtime.js';
import { encodeRows, toInt64, scalarValue, type EncodedBatch, type Row } from './row-codec.js';
import { partitionSlot } from './partition-key.js';
import type { DeleteReq, InsertReq } from './requests.js';
import type { EngineContext } from './context.js';
import { templateValues } from './filter-templates.js';
import { mergePartialRows } from './partial-upsert.js';

const AUTO_ID_BLOCK = 1n << 16n;

export interface MutationResult {
  ids: (bigint | string)[];
  count: number;
}

export class WriteService {
  constructor(private readonly ctx: EngineContext) {}

  private async reserveAutoIds(rt: CollectionRuntime, n: number): Promise<() => bigint> {
    const need = rt.autoNext + BigInt(n);
    if (need > BigInt(rt.meta.nextAutoId)) {
      rt.meta.nextAutoId = (need + AUTO_ID_BLOCK).toString();
      await this.ctx.commit();
    }
    let next = rt.autoNext;
    rt.autoNext = need;
    return () => next++;
  }

  /** Groups row indices by target partition (partition key hashing, or the named/default partition). */
  private route(rt: CollectionRuntime, partitionName: string | undefined, rows: readonly Row[]): Map<number, number[]> {
    const keyField = rt.meta.schema.fields.find((f) => f.isPartitionKey);
    const out = new Map<number, number[]>();
    if (keyField) {
      if (partitionName) throw invalidParam('partition_name', 'not allowed in a collection with a partition key; rows are routed by the key');
      rows.forEach((row, i) => {
        const v = row?.[keyField.name];
        if (v === undefined || v === null) throw invalidParam(`${keyField.name} (row ${i})`, 'the partition key value is missing');
        const key = keyField.dataType === DataType.Int64 ? toInt64(v, `${keyField.name} (row ${i})`) : String(scalarValue(keyField, v, `${keyField.name} (row ${i})`));
        const p = rt.meta.partitions[partitionSlot(key, rt.meta.partitions.length)]!;
        const list = out.get(p.id);
        if (list) list.push(i);
        else out.set(p.id, [i]);
      });
      return out;
    }
    const p = this.ctx.partition(rt, partitionName && partitionName !== '' ? partitionName : '_default');
    out.set(p.id, rows.map((_, i) => i));
    return out;
  }

  async insert(req: InsertReq): Promise<MutationResult> {
    const rt = this.ctx.runtime(req);
    const rows = (req.data ?? req.fields_data) as Row[];
    if (!Array.isArray(rows) || rows.length === 0) throw invalidParam('data', 'insert needs a non-empty array of rows');
    const routes = this.route(rt, req.partition_name, rows);
    const pk = primaryField(rt.meta.schema);
    // Validate the whole request before anything is written (or any auto-id is reserved): auto-ids
    // are placeholders until the batch is known to be good, then filled in.
    let placeholder = 0n;
    const batch = encodeRows(rt.meta.schema, rows, pk.autoID ? () => placeholder++ : null);
    if (pk.autoID) {
      // Milvus allocates Int64 ids and, for a VarChar key, writes them as decimal strings.
      const next = await this.reserveAutoIds(rt, rows.length);
      const col = batch.columns.get(pk.name)!.data as BigInt64Array | string[];
      if (col instanceof BigInt64Array) for (let i = 0; i < batch.n; i++) col[i] = batch.pks[i] = next();
      else for (let i = 0; i < batch.n; i++) col[i] = (batch.pks[i] = String(next())) as string;
    }
    await this.writeBatches(rt, routes, batch);
    refreshMatchIndexes(rt.meta.schema, rt.store.segments());
    return { ids: batch.pks, count: rows.length };
  }

  /** Writes an encoded batch, split by target partition when rows go to several. */
  private async writeBatches(rt: CollectionRuntime, routes: Map<number, number[]>, batch: EncodedBatch): Promise<void> {
    if (routes.size === 1) {
      const [pid] = routes.keys();
      await rt.store.insert(pid!, batch.columns, batch.n);
      return;
    }
    for (const [pid, idx] of routes) await rt.store.insert(pid, this.gather(rt, batch, idx), idx.length);
  }

  private gather(rt: CollectionRuntime, batch: EncodedBatch, rows: number[]): Map<string, Column> {
    const part = new Map<string, Column>();
    for (const f of rt.meta.schema.fields) part.set(f.name, gatherRows(batch.columns.get(f.name)!, rows, f));
    return part;
  }

  async upsert(req: InsertReq): Promise<MutationResult> {
    const rt = this.ctx.runtime(req);
    const rows = (req.data ?? req.fields_data) as Row[];
    if (!Array.isArray(rows) || rows.length === 0) throw invalidParam('data', 'upsert needs a non-empty array of rows');
    const partial = partialUpdate(req.partial_update);
    const named = req.partition_name && rt.meta.numPartitions === 0 ? this.ctx.partition(rt, req.partition_name).id : undefined;
    // Merge mode: the stored rows fill in the fields the request leaves out (partial-upsert.ts).
    const merged = partial ? mergePartialRows(rt, rows, named) : null;
    const routes = this.route(rt, req.partition_name, merged?.routingRows ?? rows);
    // Upsert always carries the primary key, auto-id or not.
    const batch = merged?.batch ?? encodeRows(rt.meta.schema, rows, null);
    const name = pkName(rt);
    batch.pks.forEach((v, i) => {
      if (v === undefined) throw invalidParam(`${name} (row ${i})`, 'upsert needs the primary key of every row');
    });
    const partIds = named !== undefined ? new Set([named]) : undefined;
    // One WAL record per target partition deletes the old rows of its keys (in every partition,
    // or the named one) and inserts the new rows atomically.
    for (const [pid, idx] of routes) {
      const part = routes.size === 1 ? batch.columns : this.gather(rt, batch, idx);
      await rt.store.upsert(pid, part, idx.length, partIds);
    }
    refreshMatchIndexes(rt.meta.schema, rt.store.segments());
    return { ids: batch.pks, count: rows.length };
  }

  async delete(req: DeleteReq): Promise<MutationResult> {
    const rt = this.ctx.runtime(req);
    const partIds = req.partition_name ? new Set([this.ctx.partition(rt, req.partition_name).id]) : undefined;
    const pk = primaryField(rt.meta.schema);
    let pks: (bigint | string)[];
    let byKeys = true;
    if (req.ids !== undefined) {
      if (!Array.isArray(req.ids) || req.ids.length === 0) throw invalidParam('ids', 'delete by ids needs a non-empty array');
      pks = req.ids.map((v, i) => (pk.dataType === DataType.Int64 ? toInt64(v, `ids[${i}]`) : String(scalarValue(pk, v, `ids[${i}]`))));
    } else {
      const text = req.filter ?? req.expr;
      const filter = requestFilter(rt, text, templateValues(req));
      if (!filter) throw invalidParam('filter', 'delete needs `ids` or a non-empty `filter`');
      if (filter.primaryKeys) pks = [...filter.primaryKeys];
      else {
        byKeys = false;
        requireLoaded(rt);
        pks = [];
        const expireBefore = rt.store.expireBefore();
        for (const seg of rt.store.segments()) {
          if (partIds && !partIds.has(seg.partitionId)) continue;
          const hit = filter.evaluate(seg).and(seg.liveRows(expireBefore));
          for (const row of hit.indices()) pks.push(seg.pkAt(row));
        }
      }
    }
    const deleted = await rt.store.deletePks(pks, partIds);
    // As Milvus: a delete reply carries the count only, never the keys (pymilvus then returns
    // {'delete_count': n}). A delete by primary keys (ids, or a `pk in [...]` filter) counts the keys
    // it was given, as Milvus's simpleDelete does; any other filter counts the rows it matched.
    return { ids: [], count: byKeys ? pks.length : deleted };
  }

  async flush(req: { collection_names: string[]; db_name?: string }): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    for (const name of req.collection_names ?? []) {
      const rt = this.ctx.runtime({ collection_name: name, db_name: req.db_name });
      out.set(name, await rt.store.flush());
    }
    return out;
  }

  /**
   * True when every listed segment is sealed and durable (or gone, e.g. compacted away). Throws the
   * write error when writing one of them failed (it is retried once the storage fault clears).
   */
  getFlushState(req: { segmentIDs?: (number | string)[] }): boolean {
    const ids = (req.segmentIDs ?? []).map(Number);
    for (const rt of this.ctx.runtimes.values()) {
      const err = rt.store.persistError(ids);
      if (err) throw err;
    }
    for (const rt of this.ctx.runtimes.values()) if (!rt.store.flushState(ids)) return false;
    return true;
  }

  /** Per named collection, the segments whose file write failed (what a failed flush could not make durable). */
  failedFlushSegments(req: { collection_names: string[]; db_name?: string }): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const name of req.collection_names ?? []) {
      try {
        out.set(name, this.ctx.runtime({ collection_name: name, db_name: req.db_name }).store.failedSegmentIds());
      } catch {
        /* not a collection: nothing failed there */
      }
    }
    return out;
  }

}

/** `partial_update` as the transports carry it: a boolean (or its string form); anything else is refused. */
function partialUpdate(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 'false' || v === 'False') return false;
  if (v === true || v === 'true' || v === 'True') return true;
  throw invalidParam('partial_update', `must be a boolean, got ${JSON.stringify(v)}`);
}

function pkName(rt: CollectionRuntime): string {
  return primaryField(rt.meta.schema).name;
}

