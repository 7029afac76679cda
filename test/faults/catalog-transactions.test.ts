/**
 * Catalog changes are transactions: a manifest write that fails (write, fsync or rename; ENOSPC or
 * EIO) leaves memory exactly as before — the catalog, what the engine lists and describes — and the
 * manifest on disk unchanged; once the fault clears the same change goes through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataType } from '../../src/core/data-type.js';
import { MilvusError } from '../../src/core/errors.js';
import type { Engine } from '../../src/engine/engine.js';
import { readManifest } from '../../src/storage/manifest.js';
import { storageFaults, type FaultCode, type FaultOp } from '../../src/storage/faults.js';
import { makeCollection, openEngine, tempDir, until } from './support.js';

/** Every kind of catalog change, each on the state the setup leaves. */
const changes: [string, (e: Engine) => Promise<unknown>][] = [
  ['create collection', (e) => plain(e, 'fresh')],
  ['drop collection', (e) => e.catalog.dropCollection({ collection_name: 'spare' })],
  ['rename collection', (e) => e.catalog.renameCollection({ collection_name: 'spare', new_collection_name: 'renamed' })],
  ['alter collection', (e) => e.catalog.alterCollection({ collection_name: 'c', properties: { 'collection.ttl.seconds': 60 } })],
  ['create alias', (e) => e.catalog.createAlias({ collection_name: 'c', alias: 'a2' })],
  ['alter alias', (e) => e.catalog.alterAlias({ collection_name: 'spare', alias: 'a1' })],
  ['drop alias', (e) => e.catalog.dropAlias({ alias: 'a1' })],
  ['create partition', (e) => e.catalog.createPartition({ collection_name: 'c', partition_name: 'p2' })],
  ['drop partition', (e) => e.catalog.dropPartition({ collection_name: 'spare', partition_name: 'p1' })],
  ['create index', (e) => e.indexes.createIndex({ collection_name: 'spare', field_name: 'v', index_type: 'FLAT', metric_type: 'IP' } as never)],
  ['drop index', (e) => e.indexes.dropIndex({ collection_name: 'spare2', index_name: 'v' } as never)],
  ['create database', (e) => e.catalog.createDatabase({ db_name: 'db2' })],
  ['drop database', (e) => e.catalog.dropDatabase({ db_name: 'db1' })],
  ['create user', (e) => e.users.createUser({ username: 'bob', password: 'bob-pw-1' })],
  ['delete user', (e) => e.users.deleteUser({ username: 'alice' })],
  ['update password', (e) => e.users.updatePassword({ username: 'alice', oldPassword: 'alice-pw-1', newPassword: 'alice-pw-2' })],
  ['create role', (e) => e.rbac.createRole('writer')],
  ['drop role', (e) => e.rbac.dropRole('reader', true)],
  ['grant role to user', (e) => e.rbac.operateUserRole('alice', 'reader', true)],
  ['grant privilege', (e) => e.rbac.grant({ role: 'reader', objectType: 'Collection', objectName: 'c', privilege: 'Query' }, 'root')],
  ['revoke privilege', (e) => e.rbac.revoke({ role: 'reader', objectType: 'Collection', objectName: 'c', privilege: 'Search' })],
];

const faults: { op: FaultOp; code: FaultCode }[] = [
  { op: 'write', code: 'ENOSPC' },
  { op: 'fsync', code: 'EIO' },
  { op: 'rename', code: 'EIO' },
];

function plain(e: Engine, name: string): Promise<void> {
  return e.catalog.createCollection({
    collection_name: name,
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true },
      { name: 'v', data_type: DataType.FloatVector, dim: 4 },
    ],
  } as never);
}

async function setup(e: Engine): Promise<void> {
  await makeCollection(e, 'c');
  await e.writes.insert({ collection_name: 'c', data: [{ id: 1, v: [1, 0, 0, 0] }] } as never);
  await plain(e, 'spare');
  await makeCollection(e, 'spare2');
  await e.loads.releaseCollection({ collection_name: 'spare2' });
  await e.catalog.createPartition({ collection_name: 'spare', partition_name: 'p1' });
  await e.catalog.createAlias({ collection_name: 'c', alias: 'a1' });
  await e.catalog.createDatabase({ db_name: 'db1' });
  await e.users.createUser({ username: 'alice', password: 'alice-pw-1' });
  await e.rbac.createRole('reader');
  await e.rbac.grant({ role: 'reader', objectType: 'Collection', objectName: 'c', privilege: 'Search' }, 'root');
}

/** What memory shows: the catalog (id counter aside) and the engine's own listings. */
function memory(e: Engine): unknown {
  const cat = structuredClone(e.dir.catalog) as unknown as Record<string, unknown>;
  delete cat.nextId;
  return {
    cat,
    dbs: e.catalog.listDatabases().names,
    cols: e.dir.catalog.databases.map((d) => e.catalog.showCollections({ db_name: d.name }).map((c) => [c.meta.name, c.meta.aliases, c.meta.partitions.map((p) => p.name), c.meta.indexes.map((i) => i.indexName)])),
    runtimes: e.dir.catalog.collections.map((c) => e.catalog.collectionNameOf(c.id)),
    users: e.users.listUsers(),
    roles: e.rbac.roles().map((r) => r.name),
  };
}

function disk(dir: string): unknown {
  const m = readManifest(join(dir, 'MANIFEST'))!;
  const cat = m.catalog as unknown as Record<string, unknown>;
  delete cat.nextId;
  return cat;
}

test('a failed manifest write leaves every kind of catalog change out of memory and off disk; it goes through once the fault clears', async () => {
  for (const f of faults) {
    const dir = tempDir('catalog-txn');
    let e = await openEngine(dir);
    try {
      await setup(e);
      for (const [name, run] of changes) {
        const label = `${name} (manifest ${f.op} ${f.code})`;
        const mem0 = memory(e);
        const disk0 = disk(dir);
        storageFaults.arm({ op: f.op, code: f.code, times: Infinity, pathIncludes: 'MANIFEST' });
        const err = await run(e).then(
          () => null,
          (x: unknown) => x,
        );
        assert.ok(err instanceof MilvusError, `${label}: fails with a MilvusError, got ${String(err)}`);
        assert.equal(err.code, 1001, `${label}: ${err.message}`);
        assert.match(err.message, new RegExp(`${f.code}.*MANIFEST|MANIFEST.*${f.code}`), label);
        assert.deepEqual(memory(e), mem0, `${label}: memory exactly as before`);
        assert.deepEqual(disk(dir), disk0, `${label}: manifest on disk unchanged`);
        assert.equal(existsSync(join(dir, 'MANIFEST.tmp')), false, `${label}: no temp file left`);
        storageFaults.clear();
        await until(() => e.dir.health().ok, `${label}: recovery`);
        assert.deepEqual(memory(e), mem0, `${label}: recovery changes nothing`);
        await run(e);
        assert.notDeepEqual(memory(e), mem0, `${label}: the change goes through after the fault clears`);
        assert.deepEqual(disk(dir), (memory(e) as { cat: unknown }).cat, `${label}: and is on disk`);
        // Back to the setup state for the next change: a fresh directory is simplest.
        await e.close();
        rmSync(dir, { recursive: true, force: true });
        e = await openEngine(dir);
        await setup(e);
      }
      // Restart after a failed change: the state is the one memory showed.
      storageFaults.arm({ op: f.op, code: f.code, times: Infinity, pathIncludes: 'MANIFEST' });
      await plain(e, 'never').catch(() => undefined);
      storageFaults.clear();
      const shown = memory(e) as { cat: unknown };
      await e.close();
      e = await openEngine(dir);
      assert.deepEqual((memory(e) as { cat: unknown }).cat, shown.cat, 'restart: the catalog memory showed');
    } finally {
      storageFaults.clear();
      await e.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
