/**
 * @internal Fixtures for storage tests, crash tests and the storage benchmark: a schema covering
 * every column encoding, row batches derived from the primary key (so any row can be checked
 * exactly), and a dump of a store's live rows.
 */
import type { Column } from '../core/column.js';
import { DataType } from '../core/data-type.js';
import { unexpected } from '../core/errors.js';
import type { CollectionSchema, FieldSchema } from '../core/schema.js';
import type { CatalogState, CollectionMeta } from './catalog.js';
import type { CollectionStore } from './collection-store.js';

function field(fieldID: number, name: string, dataType: DataType, extra: Partial<FieldSchema> = {}): FieldSchema {
  return {
    fieldID,
    name,
    description: '',
    dataType,
    isPrimaryKey: false,
    autoID: false,
    isPartitionKey: false,
    isClusteringKey: false,
    nullable: false,
    isDynamic: false,
    typeParams: {},
    ...extra,
  };
}

/** id Int64 pk, vec FloatVector(dim), tag VarChar, score nullable Int32 (Int64 default on n), meta JSON, arr Array<Int64>, sp sparse. */
export function testSchema(dim = 4, opts: { autoId?: boolean; rich?: boolean } = {}): CollectionSchema {
  const fields = [
    field(100, 'id', DataType.Int64, { isPrimaryKey: true, autoID: opts.autoId ?? false }),
    field(101, 'vec', DataType.FloatVector, { dim }),
  ];
  if (opts.rich !== false) {
    fields.push(
      field(102, 'tag', DataType.VarChar, { maxLength: 64 }),
      field(103, 'score', DataType.Int32, { nullable: true }),
      field(104, 'n', DataType.Int64, { defaultValue: 9007199254740993n }),
      field(105, 'meta', DataType.JSON),
      field(106, 'arr', DataType.Array, { elementType: DataType.Int64, maxCapacity: 4 }),
      field(107, 'sp', DataType.SparseFloatVector),
    );
  }
  return { name: 'c', description: '', enableDynamicField: false, fields };
}

export function testMeta(id: number, schema: CollectionSchema, partitionIds: number[] = [id + 1]): CollectionMeta {
  return {
    id,
    dbName: 'default',
    name: `c${id}`,
    schema,
    createdAt: 0,
    partitions: partitionIds.map((p, i) => ({ id: p, name: i === 0 ? '_default' : `p${p}`, createdAt: 0 })),
    aliases: [],
    indexes: [],
    properties: {},
    consistencyLevel: 0,
    shardsNum: 1,
    numPartitions: 0,
    nextAutoId: '1',
    loaded: false,
  };
}

/** Adds a collection to a catalog (ids from the catalog counter). */
export function addCollection(catalog: CatalogState, dim = 4, opts: { autoId?: boolean; rich?: boolean } = {}): CollectionMeta {
  const id = catalog.nextId++;
  const part = catalog.nextId++;
  const meta = testMeta(id, testSchema(dim, opts), [part]);
  catalog.collections.push(meta);
  return meta;
}

/** The vector of row `pk` in version `ver` (upserts bump the version). */
export function vecOf(pk: bigint, dim: number, ver = 0): Float32Array {
  const v = new Float32Array(dim);
  for (let d = 0; d < dim; d++) v[d] = Number(pk % 1000n) + d / 8 + ver * 1000;
  return v;
}

/** A batch of rows for `pks`, every value derived from (pk, ver). */
export function makeBatch(schema: CollectionSchema, pks: readonly bigint[], ver = 0): Map<string, Column> {
  const n = pks.length;
  const out = new Map<string, Column>();
  for (const f of schema.fields) {
    switch (f.name) {
      case 'id':
        out.set('id', { type: DataType.Int64, data: BigInt64Array.from(pks), valid: null });
        break;
      case 'vec': {
        const dim = f.dim ?? 4;
        const data = new Float32Array(n * dim);
        pks.forEach((pk, i) => data.set(vecOf(pk, dim, ver), i * dim));
        out.set('vec', { type: DataType.FloatVector, dim, data, valid: null });
        break;
      }
      case 'tag':
        out.set('tag', { type: DataType.VarChar, data: pks.map((pk) => `t${pk}-v${ver}-é`), valid: null });
        break;
      case 'score': {
        const valid = new Uint8Array(n);
        const data = new Int32Array(n);
        pks.forEach((pk, i) => {
          valid[i] = pk % 3n === 0n ? 0 : 1;
          data[i] = valid[i] ? Number(pk % 100000n) + ver : 0;
        });
        out.set('score', { type: DataType.Int32, data, valid });
        break;
      }
      case 'n':
        out.set('n', { type: DataType.Int64, data: BigInt64Array.from(pks.map((pk) => pk * 1000n + BigInt(ver))), valid: null });
        break;
      case 'meta':
        out.set('meta', { type: DataType.JSON, data: pks.map((pk) => ({ k: Number(pk), ver, s: ['a', 'b'] })), valid: null });
        break;
      case 'arr':
        out.set('arr', { type: DataType.Array, elementType: DataType.Int64, data: pks.map((pk) => [pk, BigInt(ver)]), valid: null });
        break;
      case 'sp':
        out.set('sp', {
          type: DataType.SparseFloatVector,
          dim: 0,
          data: pks.map((pk) => ({ indices: Uint32Array.from([Number(pk % 50n), 100]), values: Float32Array.from([1, ver]) })),
          valid: null,
        });
        break;
    }
  }
  return out;
}

/** pk → version of every live row in the store's resident segments (the version is read from `n`). Throws on a duplicate pk. */
export function liveRows(store: CollectionStore): Map<bigint, number> {
  const out = new Map<bigint, number>();
  for (const seg of store.segments()) {
    const ids = seg.column('id')!.data as BigInt64Array;
    const n = seg.column('n')?.data as BigInt64Array | undefined;
    for (const r of seg.liveRows().indices()) {
      const pk = ids[r]!;
      if (out.has(pk)) throw unexpected(`duplicate live pk ${pk}`);
      out.set(pk, n ? Number(n[r]! - pk * 1000n) : 0);
    }
  }
  return out;
}

/** Checks every column value of every live row against makeBatch's derivation; returns a mismatch description or null. */
export function checkRowValues(store: CollectionStore): string | null {
  for (const seg of store.segments()) {
    const ids = seg.column('id')!.data as BigInt64Array;
    const vec = seg.column('vec') as { dim: number; data: Float32Array } | undefined;
    const n = seg.column('n')?.data as BigInt64Array | undefined;
    for (const r of seg.liveRows().indices()) {
      const pk = ids[r]!;
      const ver = n ? Number(n[r]! - pk * 1000n) : 0;
      if (vec) {
        const want = vecOf(pk, vec.dim, ver);
        for (let d = 0; d < vec.dim; d++) if (vec.data[r * vec.dim + d] !== want[d]) return `pk ${pk}: vec[${d}] = ${vec.data[r * vec.dim + d]}, want ${want[d]}`;
      }
      const tag = seg.column('tag');
      if (tag && (tag.data as string[])[r] !== `t${pk}-v${ver}-é`) return `pk ${pk}: tag ${(tag.data as string[])[r]}`;
      const score = seg.column('score');
      if (score) {
        const present = score.valid![r] === 1;
        if (present !== (pk % 3n !== 0n)) return `pk ${pk}: score validity ${present}`;
        if (present && (score.data as Int32Array)[r] !== Number(pk % 100000n) + ver) return `pk ${pk}: score ${(score.data as Int32Array)[r]}`;
      }
      const meta = seg.column('meta');
      if (meta && JSON.stringify((meta.data as unknown[])[r]) !== JSON.stringify({ k: Number(pk), ver, s: ['a', 'b'] })) return `pk ${pk}: meta`;
      const arr = seg.column('arr');
      if (arr) {
        const a = (arr.data as unknown[][])[r]!;
        if (a[0] !== pk || a[1] !== BigInt(ver)) return `pk ${pk}: arr ${String(a)}`;
      }
      const sp = seg.column('sp');
      if (sp) {
        const row = (sp.data as { indices: Uint32Array; values: Float32Array }[])[r]!;
        if (row.indices[0] !== Number(pk % 50n) || row.indices[1] !== 100 || row.values[1] !== ver) return `pk ${pk}: sparse`;
      }
    }
  }
  return null;
}
