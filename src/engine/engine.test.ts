/** Engine unit tests: the rules behind the request layer, the same for every transport. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataType } from '../core/data-type.js';
import { Engine } from './engine.js';
import type { FieldInput } from './schema-builder.js';
import { refusal } from '../../test/support/refusal.js';

const fields = (): FieldInput[] => [
  { name: 'id', data_type: DataType.Int64, is_primary_key: true },
  { name: 'v', data_type: DataType.FloatVector, dim: 4 },
];

async function loaded(): Promise<Engine> {
  const e = await Engine.open({ dataDir: null });
  await e.catalog.createCollection({ collection_name: 'c', fields: [...fields(), { name: 'cat', data_type: DataType.Int32 }] });
  await e.writes.insert({ collection_name: 'c', data: Array.from({ length: 10 }, (_, i) => ({ id: i, v: [i, 1, 0, 0], cat: i % 2 })) });
  await e.indexes.createIndex({ collection_name: 'c', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' });
  await e.loads.loadCollection({ collection_name: 'c' });
  return e;
}

test('schema rules name the field and the rule (1100) and create nothing', async () => {
  const e = await Engine.open({ dataDir: null });
  const cases: [FieldInput[], RegExp][] = [
    [[{ name: 'v', data_type: DataType.FloatVector, dim: 4 }], /no primary key/],
    [[...fields(), { name: 'id', data_type: DataType.Int32 }], /duplicate field name "id"/],
    [[{ name: 'id', data_type: DataType.Int64, is_primary_key: true }], /at least one vector field/],
    [[{ name: 'id', data_type: DataType.Float, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }], /primary key must be Int64 or VarChar/],
    [[{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector }], /v\.dim/],
    [[{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 0 }], /v\.dim.*\[1, 32768\]/],
    [[{ name: 'id', data_type: DataType.Int64, is_primary_key: true }, { name: 'v', data_type: DataType.BinaryVector, dim: 12 }], /multiple of 8/],
    [[{ name: 'id', data_type: DataType.VarChar, is_primary_key: true }, { name: 'v', data_type: DataType.FloatVector, dim: 4 }], /max_length/],
    [[...fields(), { name: 'a', data_type: DataType.Array, element_type: DataType.JSON, max_capacity: 4 }], /element type/],
    [[...fields(), { name: 'x', data_type: 'Nonsense' }], /unknown data type/],
  ];
  for (const [f, re] of cases) {
    const err = await refusal(e.catalog.createCollection({ collection_name: 'bad', fields: f }));
    assert.equal(err.code, 1100, `${JSON.stringify(f)} → ${err.message}`);
    assert.match(err.message, re);
    assert.equal(e.catalog.hasCollection({ collection_name: 'bad' }), false);
  }
  await e.close();
});

test('struct array fields and bad consistency levels are refused, whatever the transport sent', async () => {
  const e = await Engine.open({ dataDir: null });
  const structs = await refusal(e.catalog.createCollection({ collection_name: 'f', fields: fields(), struct_array_fields: [{ name: 's' }] }));
  assert.match(structs.message, /struct array fields/);
  const level = await refusal(e.catalog.createCollection({ collection_name: 'f', fields: fields(), consistency_level: 'Sometimes' }));
  assert.match(level.message, /consistency_level.*Strong, Session, Bounded, Eventually, Customized; got Sometimes/);
  assert.equal(e.catalog.hasCollection({ collection_name: 'f' }), false);
  await e.catalog.createCollection({ collection_name: 'f', fields: fields(), consistency_level: 'strong' });
  assert.equal(e.catalog.describeCollection({ collection_name: 'f' }).consistencyLevel, 0);
  await e.close();
});

test('search and query refuse the features Elanus lacks instead of ignoring them', async () => {
  const e = await loaded();
  const base = { collection_name: 'c', data: [[1, 1, 0, 0]], limit: 3 };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ unsupported: { function_score: { functions: [{ name: 'decay' }] } } }, /function_score.*only the decay reranker/],
    [{ unsupported: { highlighter: { type: 'semantic' } } }, /highlighter.type.*semantic highlighter/],
    [{ unsupported: { search_aggregation: { fields: ['cat'] } } }, /search_aggregation/],
    [{ unsupported: { function_chains: [{}] } }, /function_chains/],
    [{ unsupported: { order_by_fields: 'cat:asc' } }, /order_by_fields/],
    [{ unsupported: { hints: 'iterative_filter' } }, /hints/],
    [{ consistency_level: 'Sometimes' }, /consistency_level/],
    [{ consistency_level: 9 }, /consistency_level/],
    [{ ids: [1, 2] }, /\(ids\) and query vectors \(data\) are mutually exclusive/],
  ];
  for (const [extra, re] of cases) {
    const err = await refusal(e.search.search({ ...base, ...extra }));
    assert.equal(err.code, 1100);
    assert.match(err.message, re);
  }
  // Empty or false markers are no request for the feature.
  const fine = await e.search.search({ ...base, consistency_level: 'Bounded', unsupported: { function_score: { functions: [] }, order_by_fields: '', hints: 'false', function_chains: [] } });
  assert.equal(fine.hits[0]!.length, 3);
  const q = await refusal(e.search.query({ collection_name: 'c', filter: 'id > 0', order_by_fields: 'nope:asc' }));
  assert.match(q.message, /order_by_fields.*'nope' does not exist/);
  const g = await refusal(e.search.query({ collection_name: 'c', filter: 'id > 0', unsupported: { group_by_fields: 'cat' } }));
  assert.match(g.message, /group_by_fields/);
  const h = await refusal(e.search.hybridSearch({ collection_name: 'c', data: [{ data: [[1, 1, 0, 0]], anns_field: 'v' }], unsupported: { highlighter: {} } }));
  assert.match(h.message, /highlighter/);
  await e.close();
});
