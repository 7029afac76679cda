/** A picture of the vectors: PCA (ml-pca) of a sample of rows, drawn on a canvas, coloured by a scalar field. */
import { PCA } from 'ml-pca';
import { useEffect, useRef, useState } from 'preact/hooks';
import { InputError, call, type CollectionInfo } from '../api.js';
import { CollectionTabs, ErrorLine } from '../ui.js';

const DENSE = new Set(['FloatVector', 'Float16Vector', 'BFloat16Vector', 'Int8Vector']);
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

interface Points {
  xy: [number, number][];
  colour: unknown[];
  explained: number[];
}

function numericScale(values: number[]): (v: number) => string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return (v) => {
    const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
    return `hsl(${Math.round(240 - 240 * t)} 70% 50%)`;
  };
}

export function Projection({ db, name }: { db: string; name: string }) {
  const [info, setInfo] = useState<CollectionInfo | undefined>();
  const [field, setField] = useState('');
  const [colourBy, setColourBy] = useState('');
  const [sample, setSample] = useState(500);
  const [points, setPoints] = useState<Points | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    call<CollectionInfo>('collections/describe', { collectionName: name }, db)
      .then((d) => {
        setInfo(d);
        setField(d.fields.find((f) => DENSE.has(f.type))?.name ?? '');
        setColourBy(d.fields.find((f) => !f.primaryKey && !/Vector$/.test(f.type) && f.type !== 'JSON')?.name ?? '');
      })
      .catch(setError);
  }, [db, name]);

  const project = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const rows = await call<Record<string, unknown>[]>('entities/query', { collectionName: name, filter: '', outputFields: colourBy ? [field, colourBy] : [field], limit: sample }, db);
      const data = rows.map((r) => r[field]).filter((v): v is number[] => Array.isArray(v));
      if (data.length < 3) throw new InputError('need at least 3 rows with this vector field to project');
      const pca = new PCA(data, { center: true });
      const xy = pca.predict(data, { nComponents: 2 }).to2DArray().map((p) => [p[0] ?? 0, p[1] ?? 0] as [number, number]);
      setPoints({ xy, colour: rows.map((r) => (colourBy ? r[colourBy] : undefined)), explained: pca.getExplainedVariance().slice(0, 2) });
    } catch (err) {
      setPoints(undefined);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (info && field) void project();
  }, [info]);

  // Draw whenever the points (or the theme, through a repaint on resize) change.
  const categories = points ? [...new Set(points.colour.filter((v) => typeof v !== 'number').map((v) => String(v)))].slice(0, PALETTE.length) : [];
  const numeric = points ? points.colour.every((v) => typeof v === 'number') && points.colour.length > 0 && colourBy !== '' : false;
  useEffect(() => {
    const el = canvas.current;
    if (!el || !points) return;
    const dpr = devicePixelRatio || 1;
    const w = el.clientWidth;
    const h = el.clientHeight;
    el.width = w * dpr;
    el.height = h * dpr;
    const g = el.getContext('2d');
    if (!g) return;
    g.scale(dpr, dpr);
    g.clearRect(0, 0, w, h);
    const xs = points.xy.map((p) => p[0]);
    const ys = points.xy.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const pad = 16;
    const sx = (x: number): number => pad + ((x - x0) / (x1 - x0 || 1)) * (w - 2 * pad);
    const sy = (y: number): number => h - pad - ((y - y0) / (y1 - y0 || 1)) * (h - 2 * pad);
    const scale = numeric ? numericScale(points.colour as number[]) : undefined;
    points.xy.forEach(([x, y], i) => {
      const c = points.colour[i];
      g.fillStyle = scale ? scale(c as number) : PALETTE[Math.max(0, categories.indexOf(String(c))) % PALETTE.length]!;
      g.beginPath();
      g.arc(sx(x), sy(y), 3.5, 0, 2 * Math.PI);
      g.fill();
    });
  }, [points]);

  if (!info) return error ? <ErrorLine error={error} /> : <p class="loading">Loading…</p>;
  const dense = info.fields.filter((f) => DENSE.has(f.type));
  return (
    <section>
      <CollectionTabs db={db} name={name} at="map" />
      <h1>Vector map</h1>
      <form
        class="card row wrap"
        aria-label="Projection"
        onSubmit={(e) => {
          e.preventDefault();
          void project();
        }}
      >
        <label>
          Vector field
          <select value={field} onChange={(e) => setField((e.target as HTMLSelectElement).value)}>
            {dense.map((f) => (
              <option key={f.name}>{f.name}</option>
            ))}
          </select>
        </label>
        <label>
          Colour by
          <select value={colourBy} onChange={(e) => setColourBy((e.target as HTMLSelectElement).value)}>
            <option value="">(none)</option>
            {info.fields
              .filter((f) => !/Vector$/.test(f.type) && f.type !== 'JSON')
              .map((f) => (
                <option key={f.name}>{f.name}</option>
              ))}
          </select>
        </label>
        <label>
          Sample
          <select value={String(sample)} onChange={(e) => setSample(Number((e.target as HTMLSelectElement).value))}>
            {[100, 500, 1000, 5000].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy || !field}>
          {busy ? 'Projecting…' : 'Project'}
        </button>
      </form>
      <ErrorLine error={error} />
      {points ? (
        <figure class="card">
          <canvas ref={canvas} class="map" role="img" aria-label={`PCA of ${points.xy.length} vectors of ${field}${colourBy ? `, coloured by ${colourBy}` : ''}`} />
          <figcaption>
            PCA of {points.xy.length} rows: the two components explain {(100 * (points.explained[0] ?? 0)).toFixed(1)}% and {(100 * (points.explained[1] ?? 0)).toFixed(1)}% of the variance.
            {numeric ? <span> Colour: low (blue) → high (red) {colourBy}.</span> : null}
            {!numeric && categories.length > 0 ? (
              <ul class="legend">
                {categories.map((c, i) => (
                  <li key={c}>
                    <span class="swatch" style={{ background: PALETTE[i] }} /> {c}
                  </li>
                ))}
              </ul>
            ) : null}
          </figcaption>
        </figure>
      ) : null}
    </section>
  );
}
