/**
 * Exact search over a raw vector column (growing segments, unindexed sealed segments). The rows are
 * mirrored into a Wasm space cached per column data array; later calls copy only appended rows.
 * Assumes append-only columns: rows below the mirrored count never change for the same data array
 * (a grown column gets a new array and a new mirror).
 */
import { vectorElementsPerRow, type VectorColumn } from '../../core/column.js';
import type { MetricType } from '../../core/data-type.js';
import { WasmSpace } from '../kernels/wasm-space.js';
import type { QueryVectors, SearchHits, SearchOptions } from '../types.js';

const mirrors = new WeakMap<object, Map<MetricType, WasmSpace>>();

function spaceFor(col: VectorColumn, rowCount: number, metric: MetricType): WasmSpace {
  let byMetric = mirrors.get(col.data);
  if (!byMetric) mirrors.set(col.data, (byMetric = new Map()));
  let s = byMetric.get(metric);
  if (!s || rowCount > s.capacity) {
    const per = vectorElementsPerRow(col);
    const capacity = Math.max(rowCount, Math.min(Math.ceil(rowCount * 1.5) + 64, per ? Math.floor(col.data.length / per) : rowCount));
    s = WasmSpace.fromColumn(col, rowCount, metric, capacity);
    byMetric.set(metric, s);
  } else s.append(col, rowCount);
  return s;
}

export function exactSearchWasm(column: VectorColumn, rowCount: number, q: QueryVectors, opts: SearchOptions): SearchHits {
  return spaceFor(column, rowCount, opts.metric).exactSearch(q, opts.k, opts.allow, opts.range, rowCount);
}
