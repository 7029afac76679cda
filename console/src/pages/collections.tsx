/** The database's collections: row counts and load state, create (quick form) and drop with confirmation. */
import { useEffect, useState } from 'preact/hooks';
import { call, type LoadStateInfo } from '../api.js';
import { ErrorLine, useConfirm } from '../ui.js';

interface Row {
  name: string;
  rows?: number;
  load?: string;
  error?: string;
}

export function Collections({ db }: { db: string }) {
  const [rows, setRows] = useState<Row[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const [confirm, dialog] = useConfirm();
  const [form, setForm] = useState({ name: '', dimension: '8', metricType: 'COSINE', idType: 'Int64' });
  const [formError, setFormError] = useState<unknown>();

  useEffect(() => {
    let stop = false;
    setError(undefined);
    call<string[]>('collections/list', {}, db)
      .then(async (names) => {
        const list = await Promise.all(
          names.sort().map(async (name): Promise<Row> => {
            try {
              const [stats, load] = await Promise.all([call<{ rowCount: number }>('collections/get_stats', { collectionName: name }, db), call<LoadStateInfo>('collections/get_load_state', { collectionName: name }, db)]);
              return { name, rows: stats.rowCount, load: load.loadState };
            } catch (err) {
              return { name, error: err instanceof Error ? err.message : String(err) };
            }
          }),
        );
        if (!stop) setRows(list);
      })
      .catch((err: unknown) => !stop && setError(err));
    return () => void (stop = true);
  }, [db, tick]);

  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    setFormError(undefined);
    try {
      await call('collections/create', { collectionName: form.name, dimension: Number(form.dimension), metricType: form.metricType, idType: form.idType }, db);
      setForm({ ...form, name: '' });
      setTick(tick + 1);
    } catch (err) {
      setFormError(err);
    }
  };
  const drop = async (name: string): Promise<void> => {
    if (!(await confirm(`Drop collection “${name}” and all its data? This cannot be undone.`, 'Drop collection'))) return;
    try {
      await call('collections/drop', { collectionName: name }, db);
      setTick(tick + 1);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section>
      <h1>Collections in {db}</h1>
      <ErrorLine error={error} />
      {rows === undefined && !error ? <p class="loading">Loading…</p> : null}
      {rows && rows.length === 0 ? <p class="muted">No collections yet.</p> : null}
      {rows && rows.length > 0 ? (
        <div class="scroll">
          <table class="grid" aria-label="Collections">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" class="num">
                  Rows
                </th>
                <th scope="col">Load state</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.name}>
                  <td>
                    <a href={`#/c/${encodeURIComponent(db)}/${encodeURIComponent(r.name)}`}>{r.name}</a>
                  </td>
                  <td class="num">{r.rows ?? '—'}</td>
                  <td>{r.error ? <span class="error">{r.error}</span> : <span class={`state ${r.load ?? ''}`}>{(r.load ?? '').replace('LoadState', '')}</span>}</td>
                  <td class="end">
                    <button type="button" class="danger small" onClick={() => void drop(r.name)} aria-label={`Drop ${r.name}`}>
                      Drop
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <form class="card inline" onSubmit={(e) => void create(e)} aria-label="Create collection">
        <h2>New collection</h2>
        <label>
          Name <input name="collectionName" value={form.name} onInput={(e) => setForm({ ...form, name: (e.target as HTMLInputElement).value })} required />
        </label>
        <label>
          Dimension <input name="dimension" type="number" min={1} value={form.dimension} onInput={(e) => setForm({ ...form, dimension: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          Metric
          <select value={form.metricType} onChange={(e) => setForm({ ...form, metricType: (e.target as HTMLSelectElement).value })}>
            <option>COSINE</option>
            <option>L2</option>
            <option>IP</option>
          </select>
        </label>
        <label>
          Id type
          <select value={form.idType} onChange={(e) => setForm({ ...form, idType: (e.target as HTMLSelectElement).value })}>
            <option>Int64</option>
            <option>VarChar</option>
          </select>
        </label>
        <button type="submit">Create</button>
        <ErrorLine error={formError} />
      </form>
      {dialog}
    </section>
  );
}
