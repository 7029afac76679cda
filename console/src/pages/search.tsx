/**
 * The search playground: a query vector from a stored row or pasted (or text, for a BM25 function's
 * sparse field), metric and search params, filter, limit, partitions; hits with distances, and the
 * same request as Node and Python SDK code to copy.
 */
import { useEffect, useState } from 'preact/hooks';
import { InputError, call, config, errorText, isVector, type CollectionInfo, type FieldInfo } from '../api.js';
import { Cell, CollectionTabs, ErrorLine } from '../ui.js';
import { FilterError } from './data.js';

interface Hit {
  [k: string]: unknown;
  distance?: number;
}

function pyValue(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null) return 'None';
  if (Array.isArray(v)) return `[${v.map(pyValue).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}: ${pyValue(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

export function sdkCode(req: { collection: string; db: string; field: string; data: unknown; limit: number; filter: string; outputs: string[]; metric: string; params: Record<string, unknown>; partitions: string[] }): { node: string; python: string } {
  const short = (v: unknown): string => JSON.stringify(v);
  const node = [
    "import { MilvusClient } from '@zilliz/milvus2-sdk-node';",
    `const client = new MilvusClient({ address: ${short(`${location.hostname}:${config().grpcPort ?? 19530}`)}${req.db !== 'default' ? `, database: ${short(req.db)}` : ''} });`,
    'const res = await client.search({',
    `  collection_name: ${short(req.collection)},`,
    `  anns_field: ${short(req.field)},`,
    `  data: [${short(req.data)}],`,
    `  limit: ${req.limit},`,
    ...(req.filter ? [`  filter: ${short(req.filter)},`] : []),
    ...(req.outputs.length ? [`  output_fields: ${short(req.outputs)},`] : []),
    ...(req.metric ? [`  metric_type: ${short(req.metric)},`] : []),
    ...(Object.keys(req.params).length ? [`  params: ${short(req.params)},`] : []),
    ...(req.partitions.length ? [`  partition_names: ${short(req.partitions)},`] : []),
    '});',
  ].join('\n');
  const sp: Record<string, unknown> = {};
  if (req.metric) sp.metric_type = req.metric;
  sp.params = req.params;
  const python = [
    'from pymilvus import MilvusClient',
    `client = MilvusClient(uri=${short(`http://${location.hostname}:${config().grpcPort ?? 19530}`)}${req.db !== 'default' ? `, db_name=${short(req.db)}` : ''})`,
    'res = client.search(',
    `    collection_name=${short(req.collection)},`,
    `    anns_field=${short(req.field)},`,
    `    data=[${pyValue(req.data)}],`,
    `    limit=${req.limit},`,
    ...(req.filter ? [`    filter=${short(req.filter)},`] : []),
    ...(req.outputs.length ? [`    output_fields=${pyValue(req.outputs)},`] : []),
    `    search_params=${pyValue(sp)},`,
    ...(req.partitions.length ? [`    partition_names=${pyValue(req.partitions)},`] : []),
    ')',
  ].join('\n');
  return { node, python };
}

export function SearchPlayground({ db, name }: { db: string; name: string }) {
  const [info, setInfo] = useState<CollectionInfo | undefined>();
  const [partitions, setPartitions] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<unknown>();
  const [field, setField] = useState('');
  const [source, setSource] = useState<'row' | 'paste' | 'text'>('row');
  const [rowId, setRowId] = useState('');
  const [pasted, setPasted] = useState('');
  const [text, setText] = useState('');
  const [metric, setMetric] = useState('');
  const [params, setParams] = useState('{}');
  const [filter, setFilter] = useState('');
  const [limit, setLimit] = useState(10);
  const [chosen, setChosen] = useState<string[]>([]);
  const [outputs, setOutputs] = useState<string[]>([]);
  const [hits, setHits] = useState<Hit[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [code, setCode] = useState<{ node: string; python: string } | undefined>();
  const [lang, setLang] = useState<'node' | 'python'>('node');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    Promise.all([call<CollectionInfo>('collections/describe', { collectionName: name }, db), call<string[]>('partitions/list', { collectionName: name }, db)])
      .then(([d, ps]) => {
        setInfo(d);
        setPartitions(ps);
        const v = d.fields.find((f) => isVector(f.type));
        if (v) {
          setField(v.name);
          setMetric(d.indexes?.find((i) => i.fieldName === v.name)?.metricType ?? '');
        }
        setOutputs(d.fields.filter((f) => !isVector(f.type) && !f.primaryKey).map((f) => f.name));
      })
      .catch(setLoadError);
  }, [db, name]);

  if (loadError) return <ErrorLine error={loadError} />;
  if (!info) return <p class="loading">Loading…</p>;
  const pk = info.fields.find((f) => f.primaryKey) as FieldInfo;
  const vectorFields = info.fields.filter((f) => isVector(f.type));

  const queryVector = async (): Promise<unknown> => {
    if (source === 'text') return text;
    if (source === 'paste') {
      try {
        return JSON.parse(pasted) as unknown;
      } catch {
        throw new InputError('the pasted vector is not JSON: write it as [0.1, 0.2, …]');
      }
    }
    const idLiteral = pk.type === 'VarChar' ? JSON.stringify(rowId) : rowId.trim();
    const rows = await call<Record<string, unknown>[]>('entities/query', { collectionName: name, filter: `${pk.name} == ${idLiteral}`, outputFields: [field], limit: 1 }, db);
    if (!rows[0]) throw new InputError(`no row has ${pk.name} ${rowId}`);
    return rows[0][field];
  };

  const run = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const vector = await queryVector();
      let p: Record<string, unknown>;
      try {
        p = JSON.parse(params || '{}') as Record<string, unknown>;
      } catch {
        throw new InputError('search params must be a JSON object, e.g. {"ef": 64}');
      }
      const body: Record<string, unknown> = { collectionName: name, annsField: field, data: [vector], limit, outputFields: outputs, searchParams: { ...(metric ? { metricType: metric } : {}), params: p } };
      if (filter) body.filter = filter;
      if (chosen.length) body.partitionNames = chosen;
      setCode(sdkCode({ collection: name, db, field, data: vector, limit, filter, outputs, metric, params: p, partitions: chosen }));
      setHits(await call<Hit[]>('entities/search', body, db));
    } catch (err) {
      setHits(undefined);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <CollectionTabs db={db} name={name} at="search" />
      <h1>Search</h1>
      <form class="card" aria-label="Search" onSubmit={(e) => void run(e)}>
        <div class="row wrap">
          <label>
            Vector field
            <select value={field} onChange={(e) => setField((e.target as HTMLSelectElement).value)}>
              {vectorFields.map((f) => (
                <option key={f.name} value={f.name}>
                  {f.name} ({f.type})
                </option>
              ))}
            </select>
          </label>
          <label>
            Query from
            <select value={source} onChange={(e) => setSource((e.target as HTMLSelectElement).value as typeof source)}>
              <option value="row">a stored row's vector</option>
              <option value="paste">a pasted vector</option>
              <option value="text">text (BM25 field)</option>
            </select>
          </label>
          {source === 'row' ? (
            <label>
              Row {pk.name} <input name="rowId" value={rowId} onInput={(e) => setRowId((e.target as HTMLInputElement).value)} required />
            </label>
          ) : null}
        </div>
        {source === 'paste' ? (
          <label class="wide">
            Vector (JSON) <textarea name="vector" class="mono" rows={3} value={pasted} onInput={(e) => setPasted((e.target as HTMLTextAreaElement).value)} placeholder="[0.1, 0.2, 0.3]" />
          </label>
        ) : null}
        {source === 'text' ? (
          <label class="wide">
            Text <input name="text" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
          </label>
        ) : null}
        <div class="row wrap">
          <label>
            Metric
            <select value={metric} onChange={(e) => setMetric((e.target as HTMLSelectElement).value)}>
              <option value="">(the index's)</option>
              {['COSINE', 'L2', 'IP', 'BM25', 'HAMMING', 'JACCARD'].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <label>
            Params (JSON) <input name="params" class="mono" value={params} onInput={(e) => setParams((e.target as HTMLInputElement).value)} placeholder='{"nprobe": 16} or {"ef": 64}' />
          </label>
          <label>
            Limit <input name="limit" type="number" min={1} max={16384} value={String(limit)} onInput={(e) => setLimit(Number((e.target as HTMLInputElement).value))} />
          </label>
        </div>
        <label class="wide">
          Filter <input name="filter" class="mono" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} spellcheck={false} autoComplete="off" />
        </label>
        <div class="row wrap">
          <fieldset class="fields">
            <legend>Partitions (none = all)</legend>
            {partitions.map((p) => (
              <label key={p} class="check">
                <input type="checkbox" checked={chosen.includes(p)} onChange={(e) => setChosen((e.target as HTMLInputElement).checked ? [...chosen, p] : chosen.filter((x) => x !== p))} /> {p}
              </label>
            ))}
          </fieldset>
          <fieldset class="fields">
            <legend>Output fields</legend>
            {info.fields
              .filter((f) => !f.primaryKey)
              .map((f) => (
                <label key={f.name} class="check">
                  <input type="checkbox" checked={outputs.includes(f.name)} onChange={(e) => setOutputs((e.target as HTMLInputElement).checked ? [...outputs, f.name] : outputs.filter((x) => x !== f.name))} /> {f.name}
                </label>
              ))}
          </fieldset>
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Searching…' : 'Search'}
        </button>
      </form>
      {error ? filter && /column \d+/.test(errorText(error)) ? <FilterError filter={filter} error={error} /> : <ErrorLine error={error} /> : null}
      {hits ? (
        <div class="scroll">
          <table class="grid" aria-label="Hits" data-testid="hits">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{pk.name}</th>
                <th scope="col" class="num">
                  distance
                </th>
                {outputs.map((o) => (
                  <th key={o} scope="col">
                    {o}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {hits.map((h, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td class="hit-id">{String(h[pk.name] ?? h.id)}</td>
                  <td class="num">{typeof h.distance === 'number' ? h.distance.toFixed(5) : ''}</td>
                  {outputs.map((o) => (
                    <td key={o}>
                      <Cell value={h[o]} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {code ? (
        <div class="card">
          <div class="row">
            <h2>The request as SDK code</h2>
            <div role="tablist" class="tabs">
              <button type="button" role="tab" aria-selected={lang === 'node'} class="ghost" onClick={() => setLang('node')}>
                Node
              </button>
              <button type="button" role="tab" aria-selected={lang === 'python'} class="ghost" onClick={() => setLang('python')}>
                Python
              </button>
            </div>
            <button type="button" class="ghost" onClick={() => void navigator.clipboard?.writeText(code[lang])}>
              Copy
            </button>
          </div>
          <pre class="code" data-testid="sdk-code">
            {code[lang]}
          </pre>
        </div>
      ) : null}
    </section>
  );
}
