/**
 * Compatibility scenarios for what real Milvus clients rely on (issue 9): idempotent drops, empty
 * results, index parameters a type does not use, VarChar primary keys with auto_id, delete replies
 * and the search iterator. Run like scenarios.ts through the embedded client and the official SDK
 * over gRPC; unlike a plain transcript comparison, each scenario also asserts the outcome Milvus
 * gives. The REST side is in rest-clients.test.ts, pymilvus's own messages in
 * test/server/pymilvus-wire.test.ts.
 */
import assert from 'node:assert/strict';
import { DataType } from '../../src/core/data-type.js';
import { randomVectors } from '../support/data.js';
import { call, DIM, docFields, docs, hits, indexes, mutation, normalise, rows, status, VECTORS, type Res, type Scenario } from './scenarios.js';

/** Status code of a reply (bare status, `{status}`, or a thrown reply), for the scenarios' own asserts. */
function code(r: Res): unknown {
  return (status(r) as Res)['code'];
}

/** Issue 9: what pymilvus and the SDKs rely on, asserted (not only compared) on every transport. */
export const clientScenarios: Scenario[] = [
  {
    name: 'idempotent drops, as Milvus',
    async run(c, rec) {
      // Milvus: rootcoord broadcastDropCollectionV1 ("make dropping collection idempotent"), dropPartitionTask
      // ("drop an non-existent partition"), DropAlias ("drop a not exist alias should be ok"), DeleteCredential
      // ("Delete a not existed credential should succeed"); DropRole of an unknown role is refused.
      const steps: [string, string, Res, number][] = [
        ['drop missing collection', 'dropCollection', { collection_name: 'idem_nope' }, 0],
        ['drop collection in missing db', 'dropCollection', { db_name: 'idem_no_db', collection_name: 'idem_nope' }, 0],
        ['drop partition of missing collection', 'dropPartition', { collection_name: 'idem_nope', partition_name: 'p' }, 100],
        ['drop missing alias', 'dropAlias', { alias: 'idem_alias_nope' }, 0],
        ['drop missing user', 'deleteUser', { username: 'idem_user_nope' }, 0],
      ];
      for (const [label, method, req, want] of steps) {
        const st = status(await call(c, method, req));
        rec(label, st);
        assert.equal((st as Res)['code'], want, `${label}: ${JSON.stringify(st)}`);
      }
      const role = status(await call(c, 'dropRole', { roleName: 'idem_role_nope' }));
      rec('drop missing role (refused)', (role as Res)['code'] !== 0);
      assert.notEqual((role as Res)['code'], 0, 'Milvus refuses to drop a role that does not exist');
      rec('create', status(await call(c, 'createCollection', { collection_name: 'idem', fields: docFields.slice(0, 2) })));
      rec('create partition', status(await call(c, 'createPartition', { collection_name: 'idem', partition_name: 'p1' })));
      for (let i = 0; i < 2; i++) {
        const p = await call(c, 'dropPartition', { collection_name: 'idem', partition_name: 'p1' });
        rec(`drop partition #${i + 1}`, status(p));
        assert.equal(code(p), 0);
      }
      rec('drop default partition (refused)', code(await call(c, 'dropPartition', { collection_name: 'idem', partition_name: '_default' })) !== 0);
      rec('partitions left', [...(((await call(c, 'showPartitions', { collection_name: 'idem' })) as Res)['partition_names'] as string[])].sort());
      rec('alias', status(await call(c, 'createAlias', { collection_name: 'idem', alias: 'idem_a' })));
      // Milvus 2.6 (ddl_callbacks_alias_test.go): creating an alias already on this collection is ok.
      const again = await call(c, 'createAlias', { collection_name: 'idem', alias: 'idem_a' });
      rec('alias again, same collection', status(again));
      assert.equal(code(again), 0);
      for (let i = 0; i < 2; i++) assert.equal(code(await call(c, 'dropAlias', { alias: 'idem_a' })), 0);
      rec('alias gone', code(await call(c, 'describeAlias', { collection_name: 'idem', alias: 'idem_a' })));
      rec('user', status(await call(c, 'createUser', { username: 'idem_u', password: 'secret-123' })));
      for (let i = 0; i < 2; i++) assert.equal(code(await call(c, 'deleteUser', { username: 'idem_u' })), 0);
      for (let i = 0; i < 2; i++) {
        const d = await call(c, 'dropCollection', { collection_name: 'idem' });
        rec(`drop collection #${i + 1}`, status(d));
        assert.equal(code(d), 0);
      }
      rec('has after', ((await call(c, 'hasCollection', { collection_name: 'idem' })) as Res)['value']);
    },
  },
  {
    name: 'empty results: query, get, search, iterators on an empty collection',
    async run(c, rec) {
      rec('create', status(await call(c, 'createCollection', { collection_name: 'empty', fields: docFields, enable_dynamic_field: true })));
      rec('index', status(await call(c, 'createIndex', { collection_name: 'empty', field_name: 'vec', index_type: 'FLAT', metric_type: 'L2' })));
      rec('load', status(await call(c, 'loadCollection', { collection_name: 'empty' })));
      const s = await call(c, 'search', { collection_name: 'empty', data: VECTORS[0], limit: 5, output_fields: ['id', 'title', 'color'] });
      rec('search empty collection', hits(s));
      assert.equal(code(s), 0, JSON.stringify(s));
      assert.deepEqual(s['results'], []);
      const star = await call(c, 'search', { collection_name: 'empty', data: VECTORS[0], limit: 5, output_fields: ['*'] });
      assert.equal(code(star), 0, JSON.stringify(star));
      rec('search * empty collection', hits(star));
      rec('search unknown output field', code(await call(c, 'search', { collection_name: 'empty', data: VECTORS[0], limit: 5, output_fields: ['nosuch'] })));
      const q = await call(c, 'query', { collection_name: 'empty', filter: 'id >= 0', output_fields: ['id', 'title', 'vec', 'color'] });
      rec('query empty', rows(q));
      assert.equal(code(q), 0);
      assert.deepEqual(q['data'], []);
      const g = await call(c, 'get', { collection_name: 'empty', ids: [1, 2], output_fields: ['title'] });
      rec('get missing ids', rows(g));
      assert.equal(code(g), 0);
      rec('count', normalise(await call(c, 'count', { collection_name: 'empty' })));
      const pages: number[] = [];
      for await (const page of (await call(c, 'queryIterator', { collection_name: 'empty', batchSize: 10, output_fields: ['id'] })) as unknown as AsyncIterable<Res[]>) pages.push(page.length);
      rec('query iterator over nothing', pages);
      rec('insert', mutation(await call(c, 'insert', { collection_name: 'empty', data: docs(0, 30) })));
      const none = await call(c, 'query', { collection_name: 'empty', filter: 'id > 1000', output_fields: ['id', 'title'] });
      rec('query matching nothing', rows(none));
      assert.deepEqual(none['data'], []);
      const filtered = await call(c, 'search', { collection_name: 'empty', data: VECTORS[0], limit: 5, filter: 'id > 1000', output_fields: ['title'] });
      rec('search matching nothing', hits(filtered));
      assert.deepEqual(filtered['results'], []);
      // A query iterator whose last page is empty ends instead of failing.
      const sizes: number[] = [];
      for await (const page of (await call(c, 'queryIterator', { collection_name: 'empty', batchSize: 10, output_fields: ['id'] })) as unknown as AsyncIterable<Res[]>) sizes.push(page.length);
      rec('query iterator, exact pages', sizes);
      assert.equal(sizes.reduce((a, b) => a + b, 0), 30);
      await call(c, 'releaseCollection', { collection_name: 'empty' });
      await call(c, 'dropCollection', { collection_name: 'empty' });
    },
  },
  {
    name: 'index parameters a type does not use are kept and ignored',
    async run(c, rec) {
      const fields = [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: DIM },
        { name: 'b', data_type: DataType.BinaryVector, dim: 16 },
      ];
      rec('create', status(await call(c, 'createCollection', { collection_name: 'ixp', fields })));
      const cases: [string, string, string, string, Record<string, unknown>, boolean][] = [
        ['FLAT + nlist', 'v', 'FLAT', 'L2', { nlist: 128 }, true],
        ['HNSW + nlist', 'v', 'HNSW', 'COSINE', { nlist: 128, M: 8, efConstruction: 64 }, true],
        ['HNSW M out of range', 'v', 'HNSW', 'COSINE', { nlist: 128, M: 100000, efConstruction: 64 }, false],
        ['HNSW efConstruction not a number', 'v', 'HNSW', 'COSINE', { M: 8, efConstruction: 'lots' }, false],
        ['IVF_FLAT + M', 'v', 'IVF_FLAT', 'L2', { nlist: 16, M: 8 }, true],
        ['IVF_FLAT nlist out of range', 'v', 'IVF_FLAT', 'L2', { nlist: 0 }, false],
        ['BIN_FLAT + nlist', 'b', 'BIN_FLAT', 'HAMMING', { nlist: 128 }, true],
      ];
      for (const [label, field, type, metric, params, ok] of cases) {
        const r = await call(c, 'createIndex', { collection_name: 'ixp', field_name: field, index_type: type, metric_type: metric, params });
        rec(label, status(r));
        assert.equal(code(r) === 0, ok, `${label}: ${JSON.stringify(status(r))}`);
        if (ok) {
          const d = (await call(c, 'describeIndex', { collection_name: 'ixp', field_name: field })) as Res;
          const desc = indexes(d) as Res[];
          rec(`${label}: described`, desc);
          const kept = JSON.parse(String((desc[0]!['params'] as Res)['params'] ?? '{}')) as Res;
          for (const k of Object.keys(params)) assert.equal(String(kept[k]), String(params[k]), `${label}: ${k} kept in the description`);
          if (field === 'v') rec(`${label}: drop`, status(await call(c, 'dropIndex', { collection_name: 'ixp', field_name: field })));
        }
      }
      rec('index v', status(await call(c, 'createIndex', { collection_name: 'ixp', field_name: 'v', index_type: 'HNSW', metric_type: 'L2', params: { nlist: 4, M: 8, efConstruction: 32 } })));
      rec('insert', mutation(await call(c, 'insert', { collection_name: 'ixp', data: Array.from({ length: 20 }, (_, i) => ({ id: i, v: VECTORS[i]!, b: [i, 255 - i] })) })));
      rec('load', status(await call(c, 'loadCollection', { collection_name: 'ixp' })));
      const r = await call(c, 'search', { collection_name: 'ixp', anns_field: 'v', data: VECTORS[3], limit: 3, params: { ef: 16, nprobe: 4 }, output_fields: ['id'] });
      rec('search', hits(r));
      assert.equal(String(((r['results'] as Res[])[0] as Res)['id']), '3');
      await call(c, 'releaseCollection', { collection_name: 'ixp' });
      await call(c, 'dropCollection', { collection_name: 'ixp' });
    },
  },
  {
    name: 'VarChar primary key with auto_id; delete replies',
    async run(c, rec) {
      const fields = [
        { name: 'pk', data_type: DataType.VarChar, is_primary_key: true, autoID: true, max_length: 64 },
        { name: 'v', data_type: DataType.FloatVector, dim: DIM },
        { name: 'n', data_type: DataType.Int64 },
      ];
      rec('create', status(await call(c, 'createCollection', { collection_name: 'vcauto', fields })));
      const d = (await call(c, 'describeCollection', { collection_name: 'vcauto' })) as Res;
      rec('autoID', ((d['schema'] as Res)['fields'] as Res[]).map((f) => [f['name'], f['autoID']]));
      const ins = await call(c, 'insert', { collection_name: 'vcauto', data: Array.from({ length: 6 }, (_, i) => ({ v: VECTORS[i]!, n: i })) });
      assert.equal(code(ins), 0, JSON.stringify(ins));
      const ids = ((ins['IDs'] as Res)['str_id'] as Res)['data'] as string[];
      // Keys differ between the two processes; they are strings, distinct, and the rows' keys.
      rec('insert', { status: status(ins), count: String(ins['insert_cnt']), strings: ids.every((x) => typeof x === 'string' && /^\d+$/.test(x)), distinct: new Set(ids).size });
      assert.equal(new Set(ids).size, 6);
      rec('insert with the key (refused)', code(await call(c, 'insert', { collection_name: 'vcauto', data: [{ pk: 'mine', v: VECTORS[0]!, n: 9 }] })) !== 0);
      rec('index', status(await call(c, 'createIndex', { collection_name: 'vcauto', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' })));
      rec('load', status(await call(c, 'loadCollection', { collection_name: 'vcauto' })));
      const q = (await call(c, 'query', { collection_name: 'vcauto', filter: 'n >= 0', output_fields: ['pk', 'n'] })) as Res;
      const got = (q['data'] as Res[]).map((r) => [String(r['pk']), Number(r['n'])]);
      assert.deepEqual(got.map(([k]) => k).sort(), [...ids].sort());
      rec('query', got.map(([, n]) => n));
      const byKey = await call(c, 'get', { collection_name: 'vcauto', ids: [ids[2]!], output_fields: ['n'] });
      rec('get by generated key', (byKey['data'] as Res[]).map((r) => r['n']));
      // Delete replies: delete_cnt, no key list.
      const del = await call(c, 'delete', { collection_name: 'vcauto', ids: [ids[0]!, ids[1]!] });
      rec('delete by ids', mutation(del));
      assert.equal(String(del['delete_cnt']), '2');
      assert.deepEqual(del['IDs'], {}, `a delete reply names no keys: ${JSON.stringify(del['IDs'])}`);
      const delf = await call(c, 'delete', { collection_name: 'vcauto', filter: 'n >= 4' });
      rec('delete by filter', mutation(delf));
      assert.equal(String(delf['delete_cnt']), '2');
      assert.deepEqual(delf['IDs'], {});
      rec('count after', normalise(await call(c, 'count', { collection_name: 'vcauto' })));
      await call(c, 'releaseCollection', { collection_name: 'vcauto' });
      await call(c, 'dropCollection', { collection_name: 'vcauto' });
    },
  },
  {
    name: 'search iterator: 350 rows in pages of 100, every row once',
    async run(c, rec) {
      const fields = [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: DIM },
      ];
      const base = randomVectors(350, DIM, 99);
      // A run of identical vectors: their scores tie exactly across a page boundary.
      for (let i = 90; i < 130; i++) base[i] = base[89]!.slice();
      rec('create', status(await call(c, 'createCollection', { collection_name: 'iter350', fields })));
      rec('insert', mutation(await call(c, 'insert', { collection_name: 'iter350', data: base.map((v, i) => ({ id: i, v })) })));
      rec('index', status(await call(c, 'createIndex', { collection_name: 'iter350', field_name: 'v', index_type: 'FLAT', metric_type: 'L2' })));
      rec('load', status(await call(c, 'loadCollection', { collection_name: 'iter350' })));
      for (const q of [base[7]!, base[89]!]) {
        const pages: number[] = [];
        const seen: string[] = [];
        for await (const page of (await call(c, 'searchIterator', { collection_name: 'iter350', data: q, batchSize: 100, output_fields: ['id'] })) as unknown as AsyncIterable<Res[]>) {
          pages.push(page.length);
          seen.push(...page.map((h) => String(h['id'])));
          assert.ok(pages.length <= 10, 'the iterator ends');
        }
        rec('pages', pages);
        assert.deepEqual(pages, [100, 100, 100, 50]);
        assert.equal(new Set(seen).size, 350, 'every row once');
      }
      await call(c, 'releaseCollection', { collection_name: 'iter350' });
      await call(c, 'dropCollection', { collection_name: 'iter350' });
    },
  },
];
