/**
 * One collection: schema (every field, functions, partition key, properties), row count, load state
 * with progress, indexes with build progress, partitions; load/release, create/drop index and partition.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, fieldParam, isVector, type CollectionInfo, type IndexInfo, type LoadStateInfo } from '../api.js';
import { CollectionTabs, ErrorLine, Progress, useConfirm } from '../ui.js';

const INDEX_TYPES = ['AUTOINDEX', 'FLAT', 'HNSW', 'IVF_FLAT', 'IVF_SQ8', 'IVF_PQ', 'HNSW_SQ', 'SPARSE_INVERTED_INDEX', 'INVERTED', 'STL_SORT', 'BITMAP', 'TRIE'];

function fieldFlags(f: CollectionInfo['fields'][number]): string[] {
  const out: string[] = [];
  if (f.primaryKey) out.push(f.autoId ? 'primary key (auto id)' : 'primary key');
  if (f.partitionKey) out.push('partition key');
  if (f.clusteringKey) out.push('clustering key');
  if (f.nullable) out.push('nullable');
  if (f.isFunctionOutput) out.push('function output');
  return out;
}

export function CollectionPage({ db, name }: { db: string; name: string }) {
  const [info, setInfo] = useState<CollectionInfo | undefined>();
  const [rows, setRows] = useState<number | undefined>();
  const [load, setLoad] = useState<LoadStateInfo | undefined>();
  const [indexes, setIndexes] = useState<IndexInfo[]>([]);
  const [partitions, setPartitions] = useState<{ name: string; rows: number }[]>([]);
  const [error, setError] = useState<unknown>();
  const [actionError, setActionError] = useState<unknown>();
  const [busy, setBusy] = useState<string | undefined>();
  const [tick, setTick] = useState(0);
  const [confirm, dialog] = useConfirm();
  const [idx, setIdx] = useState({ fieldName: '', indexType: 'AUTOINDEX', metricType: 'COSINE', params: '{}' });
  const [part, setPart] = useState('');
  const polling = useRef(false);
  const c = { collectionName: name };

  const refreshLoad = async (): Promise<LoadStateInfo> => {
    const s = await call<LoadStateInfo>('collections/get_load_state', c, db);
    setLoad(s);
    return s;
  };

  useEffect(() => {
    let stop = false;
    void (async () => {
      try {
        const d = await call<CollectionInfo>('collections/describe', c, db);
        if (stop) return;
        setInfo(d);
        setIdx((v) => (v.fieldName ? v : { ...v, fieldName: d.fields.find((f) => isVector(f.type))?.name ?? '' }));
        const [stats, ixs, parts] = await Promise.all([
          call<{ rowCount: number }>('collections/get_stats', c, db),
          Promise.all((d.indexes ?? []).map((i) => call<IndexInfo[]>('indexes/describe', { ...c, indexName: i.indexName }, db).then((x) => x[0]))),
          call<string[]>('partitions/list', c, db).then((ps) => Promise.all(ps.map(async (p) => ({ name: p, rows: (await call<{ rowCount: number }>('partitions/get_stats', { ...c, partitionName: p }, db)).rowCount })))),
        ]);
        if (stop) return;
        setRows(stats.rowCount);
        setIndexes(ixs.filter((x): x is IndexInfo => x !== undefined));
        setPartitions(parts);
        await refreshLoad();
      } catch (err) {
        if (!stop) setError(err);
      }
    })();
    return () => void (stop = true);
  }, [db, name, tick]);

  /** Runs an action, showing the server's refusal (e.g. PrivilegeNotPermitted) beside the buttons. */
  const act = async (label: string, fn: () => Promise<unknown>): Promise<void> => {
    setBusy(label);
    setActionError(undefined);
    try {
      await fn();
      setTick((t) => t + 1);
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(undefined);
    }
  };

  /** Load: the call returns when loaded; meanwhile the state is polled so the bar moves. */
  const doLoad = (): Promise<void> =>
    act('load', async () => {
      polling.current = true;
      setLoad({ loadState: 'LoadStateLoading', loadProgress: 0 });
      const poll = (async () => {
        while (polling.current) {
          await new Promise((r) => setTimeout(r, 150));
          if (polling.current) await refreshLoad().catch(() => undefined);
        }
      })();
      try {
        await call('collections/load', c, db);
      } finally {
        polling.current = false;
        await poll;
      }
      await refreshLoad();
    });

  const doRelease = (): Promise<void> =>
    act('release', async () => {
      if (!(await confirm(`Release “${name}”? Searches and queries fail until it is loaded again.`, 'Release'))) return;
      await call('collections/release', c, db);
    });

  if (error) return <ErrorLine error={error} />;
  if (!info) return <p class="loading">Loading…</p>;
  const loaded = load?.loadState === 'LoadStateLoaded';
  return (
    <section>
      <CollectionTabs db={db} name={name} at="" />
      <h1>{name}</h1>
      {info.description ? <p class="muted">{info.description}</p> : null}
      <div class="facts">
        <div class="card fact">
          <span class="muted">Rows</span>
          <strong data-testid="row-count">{rows ?? '—'}</strong>
        </div>
        <div class="card fact">
          <span class="muted">Load state</span>
          <strong data-testid="load-state">{(load?.loadState ?? '').replace('LoadState', '')}</strong>
          {load && load.loadState !== 'LoadStateNotLoad' ? <Progress value={load.loadProgress ?? 0} label="Load progress" /> : null}
          <div class="row">
            <button type="button" onClick={() => void doLoad()} disabled={busy !== undefined}>
              {busy === 'load' ? 'Loading…' : loaded ? 'Reload' : 'Load'}
            </button>
            <button type="button" class="ghost" onClick={() => void doRelease()} disabled={busy !== undefined || load?.loadState === 'LoadStateNotLoad'}>
              Release
            </button>
          </div>
        </div>
        <div class="card fact">
          <span class="muted">Consistency · shards</span>
          <strong>
            {info.consistencyLevel} · {info.shardsNum}
          </strong>
        </div>
      </div>
      <ErrorLine error={actionError} />

      <h2>Schema</h2>
      <div class="scroll">
        <table class="grid" aria-label="Fields">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Type</th>
              <th scope="col">Parameters</th>
              <th scope="col">Properties</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {info.fields.map((f) => (
              <tr key={f.name}>
                <td>
                  <code>{f.name}</code>
                </td>
                <td>{f.elementType ? `${f.type}<${f.elementType}>` : f.type}</td>
                <td>
                  {(f.params ?? []).map((p) => `${p.key}=${p.value}`).join(', ')}
                  {f.defaultValue !== undefined ? ` default=${JSON.stringify(f.defaultValue)}` : ''}
                </td>
                <td>{fieldFlags(f).join(', ')}</td>
                <td>{f.description}</td>
              </tr>
            ))}
            {info.enableDynamicField ? (
              <tr>
                <td>
                  <code>$meta</code>
                </td>
                <td>JSON</td>
                <td />
                <td>dynamic field</td>
                <td>keys not in the schema</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {info.functions && info.functions.length > 0 ? (
        <>
          <h3>Functions</h3>
          <ul>
            {info.functions.map((f) => (
              <li key={f.name}>
                <code>{f.name}</code> ({f.type}): {(f.inputFieldNames ?? []).join(', ')} → {(f.outputFieldNames ?? []).join(', ')}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {info.properties && info.properties.length > 0 ? (
        <>
          <h3>Properties</h3>
          <ul>
            {info.properties.map((p) => (
              <li key={p.key}>
                <code>{p.key}</code> = {p.value}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {info.aliases && info.aliases.length > 0 ? <p>Aliases: {info.aliases.join(', ')}</p> : null}

      <h2>Indexes</h2>
      <div class="scroll">
        <table class="grid" aria-label="Indexes">
          <thead>
            <tr>
              <th scope="col">Index</th>
              <th scope="col">Field</th>
              <th scope="col">Type · metric</th>
              <th scope="col">State</th>
              <th scope="col">Build progress</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {indexes.length === 0 ? (
              <tr>
                <td colSpan={6} class="muted">
                  No index yet: a collection loads once every vector field has one.
                </td>
              </tr>
            ) : null}
            {indexes.map((i) => (
              <tr key={i.indexName}>
                <td>
                  <code>{i.indexName}</code>
                </td>
                <td>{i.fieldName}</td>
                <td>
                  {i.indexType} {i.metricType ? `· ${i.metricType}` : ''}
                </td>
                <td>
                  {i.indexState.replace('IndexState', '')}
                  {i.failReason ? <span class="error"> {i.failReason}</span> : null}
                </td>
                <td>
                  {/* Growing rows are searched without the index until their segment seals: only sealed rows wait for a build. */}
                  <Progress value={i.totalRows > 0 ? (100 * (i.totalRows - i.pendingRows)) / i.totalRows : 100} label={`Build progress of ${i.indexName}`} />{' '}
                  <span class="muted">
                    {i.indexedRows} of {i.totalRows} rows in index files{i.pendingRows ? `, ${i.pendingRows} waiting for a build` : ''}
                  </span>
                </td>
                <td class="end">
                  <button
                    type="button"
                    class="danger small"
                    aria-label={`Drop index ${i.indexName}`}
                    onClick={() =>
                      void act('dropIndex', async () => {
                        if (!(await confirm(`Drop index “${i.indexName}”? The collection must be released first.`, 'Drop index'))) return;
                        await call('indexes/drop', { ...c, indexName: i.indexName }, db);
                      })
                    }
                  >
                    Drop
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        class="card inline"
        aria-label="Create index"
        onSubmit={(e) => {
          e.preventDefault();
          void act('createIndex', async () => {
            const params = JSON.parse(idx.params || '{}') as Record<string, unknown>;
            const f = info.fields.find((x) => x.name === idx.fieldName);
            const ip: Record<string, unknown> = { fieldName: idx.fieldName, indexName: idx.fieldName, indexType: idx.indexType, params };
            if (f && isVector(f.type)) ip.metricType = idx.metricType;
            await call('indexes/create', { ...c, indexParams: [ip] }, db);
          });
        }}
      >
        <h3>New index</h3>
        <label>
          Field
          <select value={idx.fieldName} onChange={(e) => setIdx({ ...idx, fieldName: (e.target as HTMLSelectElement).value })}>
            {info.fields.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name} ({f.type}
                {fieldParam(f, 'dim') ? `, dim ${fieldParam(f, 'dim')}` : ''})
              </option>
            ))}
          </select>
        </label>
        <label>
          Type
          <select value={idx.indexType} onChange={(e) => setIdx({ ...idx, indexType: (e.target as HTMLSelectElement).value })}>
            {INDEX_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Metric
          <select value={idx.metricType} onChange={(e) => setIdx({ ...idx, metricType: (e.target as HTMLSelectElement).value })}>
            {['COSINE', 'L2', 'IP', 'BM25', 'HAMMING', 'JACCARD'].map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          Params (JSON) <input value={idx.params} onInput={(e) => setIdx({ ...idx, params: (e.target as HTMLInputElement).value })} placeholder='{"M": 16, "efConstruction": 200}' />
        </label>
        <button type="submit" disabled={busy !== undefined}>
          Create index
        </button>
      </form>

      <h2>Partitions</h2>
      <ul class="plain">
        {partitions.map((p) => (
          <li key={p.name}>
            <code>{p.name}</code> <span class="muted">{p.rows} rows</span>{' '}
            {p.name !== '_default' ? (
              <button
                type="button"
                class="danger small"
                aria-label={`Drop partition ${p.name}`}
                onClick={() =>
                  void act('dropPartition', async () => {
                    if (!(await confirm(`Drop partition “${p.name}” and its rows?`, 'Drop partition'))) return;
                    await call('partitions/drop', { ...c, partitionName: p.name }, db);
                  })
                }
              >
                Drop
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <form
        class="card inline"
        aria-label="Create partition"
        onSubmit={(e) => {
          e.preventDefault();
          void act('createPartition', async () => {
            await call('partitions/create', { ...c, partitionName: part }, db);
            setPart('');
          });
        }}
      >
        <label>
          New partition <input value={part} onInput={(e) => setPart((e.target as HTMLInputElement).value)} required />
        </label>
        <button type="submit">Create partition</button>
      </form>
      {dialog}
    </section>
  );
}
