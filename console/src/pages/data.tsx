/**
 * The data browser: a filter expression (the server's error is shown under the column it names),
 * output fields, paging by offset/limit, readable JSON and vector cells, export of the page as JSON/CSV.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, errorText, type CollectionInfo } from '../api.js';
import { Cell, CollectionTabs, ErrorLine, download } from '../ui.js';

/** The filter with a caret under the column a filter error names. */
export function FilterError({ filter, error }: { filter: string; error: unknown }) {
  if (!error) return null;
  const col = error instanceof ApiError ? error.column : undefined;
  return (
    <div class="error filter-error" role="alert" data-testid="filter-error">
      {col !== undefined && col >= 1 && col <= filter.length + 1 ? (
        <pre aria-hidden="true">
          {filter}
          {'\n'}
          {' '.repeat(col - 1)}^
        </pre>
      ) : null}
      <p>{errorText(error)}</p>
    </div>
  );
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function DataBrowser({ db, name }: { db: string; name: string }) {
  const [info, setInfo] = useState<CollectionInfo | undefined>();
  const [filter, setFilter] = useState('');
  const [ran, setRan] = useState('');
  const [outputs, setOutputs] = useState<string[]>([]);
  const [limit, setLimit] = useState(20);
  const [offset, setOffset] = useState(0);
  const [rows, setRows] = useState<Record<string, unknown>[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [loadError, setLoadError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call<CollectionInfo>('collections/describe', { collectionName: name }, db)
      .then((d) => {
        setInfo(d);
        setOutputs(d.fields.map((f) => f.name));
      })
      .catch(setLoadError);
  }, [db, name]);

  const run = async (at: number): Promise<void> => {
    setBusy(true);
    setError(undefined);
    setRan(filter);
    try {
      const data = await call<Record<string, unknown>[]>('entities/query', { collectionName: name, filter, outputFields: outputs.length ? outputs : ['*'], limit, offset: at }, db);
      setRows(data);
      setOffset(at);
    } catch (err) {
      setError(err);
      setRows(undefined);
    } finally {
      setBusy(false);
    }
  };
  // First page once the schema is known.
  useEffect(() => {
    if (info) void run(0);
  }, [info]);

  if (loadError) return <ErrorLine error={loadError} />;
  if (!info) return <p class="loading">Loading…</p>;
  const cols = rows && rows.length > 0 ? [...new Set(rows.flatMap((r) => Object.keys(r)))] : outputs;
  const base = `${name}-offset${offset}`;
  return (
    <section>
      <CollectionTabs db={db} name={name} at="data" />
      <h1>Data</h1>
      <form
        class="card"
        aria-label="Query"
        onSubmit={(e) => {
          e.preventDefault();
          void run(0);
        }}
      >
        <label class="wide">
          Filter expression
          <input name="filter" class="mono" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} placeholder='e.g. id > 10 and tag in ["a", "b"]' spellcheck={false} autoComplete="off" />
        </label>
        <fieldset class="fields">
          <legend>Output fields</legend>
          {info.fields.map((f) => (
            <label key={f.name} class="check">
              <input
                type="checkbox"
                checked={outputs.includes(f.name)}
                onChange={(e) => {
                  const on = (e.target as HTMLInputElement).checked;
                  setOutputs(on ? [...outputs, f.name] : outputs.filter((x) => x !== f.name));
                }}
              />{' '}
              {f.name}
            </label>
          ))}
        </fieldset>
        <div class="row">
          <label>
            Page size
            <select value={String(limit)} onChange={(e) => setLimit(Number((e.target as HTMLSelectElement).value))}>
              {[10, 20, 50, 100].map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Running…' : 'Run query'}
          </button>
        </div>
      </form>
      <FilterError filter={ran} error={error} />
      {rows ? (
        <>
          <div class="row">
            <span class="muted" data-testid="result-count">
              {rows.length === 0 ? 'No rows' : `Rows ${offset + 1}–${offset + rows.length}`}
            </span>
            <button type="button" class="ghost" disabled={offset === 0 || busy} onClick={() => void run(Math.max(0, offset - limit))}>
              ← Previous
            </button>
            <button type="button" class="ghost" disabled={rows.length < limit || busy} onClick={() => void run(offset + limit)}>
              Next →
            </button>
            <button type="button" class="ghost" onClick={() => download(`${base}.json`, 'application/json', JSON.stringify(rows, null, 2))}>
              Export JSON
            </button>
            <button type="button" class="ghost" onClick={() => download(`${base}.csv`, 'text/csv', [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n'))}>
              Export CSV
            </button>
          </div>
          <div class="scroll">
            <table class="grid" aria-label="Rows">
              <thead>
                <tr>
                  {cols.map((c) => (
                    <th key={c} scope="col">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    {cols.map((c) => (
                      <td key={c}>
                        <Cell value={r[c]} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
