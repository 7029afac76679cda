/**
 * Live server figures from the server's own Prometheus metrics (the operations port): QPS and mean
 * latency by method, memory, segments and index backlog, as uPlot charts over the last few minutes.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleConfig } from '../api.js';
import { ErrorLine } from '../ui.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format's sample lines (comments skipped). */
export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, '$1');
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

const sum = (s: Sample[], name: string, pred: (l: Record<string, string>) => boolean = () => true): number => s.filter((x) => x.name === name && pred(x.labels)).reduce((a, x) => a + x.value, 0);

function byMethod(s: Sample[], name: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of s) if (x.name === name) {
    const k = `${x.labels.transport}:${x.labels.method}`;
    m.set(k, (m.get(k) ?? 0) + x.value);
  }
  return m;
}

const WINDOW = 150; // points kept (5 min at 2 s)

interface Series {
  t: number[];
  lines: Map<string, (number | null)[]>;
}

function push(series: Series, t: number, values: Map<string, number>): void {
  const n = series.t.length;
  series.t.push(t);
  for (const k of values.keys()) if (!series.lines.has(k)) series.lines.set(k, new Array<number | null>(n).fill(null));
  for (const [k, arr] of series.lines) arr.push(values.get(k) ?? null);
  if (series.t.length > WINDOW) {
    series.t.shift();
    for (const arr of series.lines.values()) arr.shift();
  }
}

const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'];

function Chart({ title, unit, series, version }: { title: string; unit: string; series: Series; version: number }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<{ u: uPlot; keys: string } | undefined>(undefined);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // Busiest lines only, so the chart stays readable.
    const keys = [...series.lines.entries()]
      .sort((a, b) => b[1].reduce<number>((s, v) => s + (v ?? 0), 0) - a[1].reduce<number>((s, v) => s + (v ?? 0), 0))
      .slice(0, 6)
      .map(([k]) => k);
    const data = [series.t, ...keys.map((k) => series.lines.get(k)!)] as uPlot.AlignedData;
    const keyText = keys.join('|');
    const width = Math.max(260, el.clientWidth);
    if (!plot.current || plot.current.keys !== keyText) {
      plot.current?.u.destroy();
      const axis = { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' }, ticks: { stroke: 'rgba(128,128,128,0.4)' } };
      const u = new uPlot(
        {
          width,
          height: 200,
          series: [{}, ...keys.map((k, i) => ({ label: k, stroke: COLOURS[i % COLOURS.length]!, width: 2, spanGaps: false }))],
          axes: [axis, { ...axis, label: unit, size: 60 }],
          // One sample has no width: show the minute before it.
          scales: { x: { time: true, range: (_u, min, max) => (max - min < 1 ? [max - 60, max + 1] : [min, max]) } },
          legend: { show: true, live: false },
        },
        data,
        el,
      );
      plot.current = { u, keys: keyText };
    } else {
      plot.current.u.setData(data);
      if (Math.abs(plot.current.u.width - width) > 4) plot.current.u.setSize({ width, height: 200 });
    }
  }, [version]);
  useEffect(() => () => plot.current?.u.destroy(), []);
  return (
    <figure class="card chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title} chart`} />
    </figure>
  );
}

export function Metrics({ config }: { config: ConsoleConfig }) {
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  const [now, setNow] = useState<{ rss: number; heap: number; segments: number; backlog: number; collections: number } | undefined>();
  const state = useRef({
    prev: undefined as { t: number; counts: Map<string, number>; sums: Map<string, number>; durCounts: Map<string, number> } | undefined,
    qps: { t: [], lines: new Map() } as Series,
    latency: { t: [], lines: new Map() } as Series,
    memory: { t: [], lines: new Map() } as Series,
    segments: { t: [], lines: new Map() } as Series,
    backlog: { t: [], lines: new Map() } as Series,
  });
  const url = config.metricsPort ? `${location.protocol}//${location.hostname}:${config.metricsPort}/metrics` : undefined;

  useEffect(() => {
    if (!url) return;
    let stop = false;
    const tick = async (): Promise<void> => {
      try {
        const res = await fetch(url);
        const s = parsePrometheus(await res.text());
        const t = Date.now() / 1000;
        const st = state.current;
        const counts = byMethod(s, 'elanus_requests_total');
        const sums = byMethod(s, 'elanus_request_duration_seconds_sum');
        const durCounts = byMethod(s, 'elanus_request_duration_seconds_count');
        if (st.prev) {
          const dt = t - st.prev.t;
          const qps = new Map<string, number>();
          const lat = new Map<string, number>();
          for (const [k, v] of counts) {
            // Every method seen so far, idle ones at 0: a quiet server draws flat lines, not nothing.
            qps.set(k, Math.max(0, v - (st.prev.counts.get(k) ?? 0)) / dt);
          }
          for (const [k, v] of sums) {
            const dc = (durCounts.get(k) ?? 0) - (st.prev.durCounts.get(k) ?? 0);
            if (dc > 0) lat.set(k, (1000 * (v - (st.prev.sums.get(k) ?? 0))) / dc);
          }
          push(st.qps, t, qps);
          push(st.latency, t, lat);
        }
        st.prev = { t, counts, sums, durCounts };
        const rss = sum(s, 'process_resident_memory_bytes');
        const heap = sum(s, 'nodejs_heap_size_used_bytes');
        const segData = sum(s, 'elanus_collection_memory_bytes');
        push(st.memory, t, new Map([['resident MiB', rss / 2 ** 20], ['JS heap MiB', heap / 2 ** 20], ['segment data MiB', segData / 2 ** 20]]));
        const segs = new Map<string, number>();
        for (const x of s) if (x.name === 'elanus_collection_segments') segs.set(`${x.labels.db}.${x.labels.collection}`, x.value);
        push(st.segments, t, segs);
        push(st.backlog, t, new Map([['pending rows', sum(s, 'elanus_index_pending_rows')]]));
        setNow({ rss, heap, segments: sum(s, 'elanus_collection_segments'), backlog: sum(s, 'elanus_index_pending_rows'), collections: sum(s, 'elanus_collections') });
        setError(undefined);
        setVersion((v) => v + 1);
      } catch (err) {
        setError(`cannot read ${url}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!stop) timer = setTimeout(() => void tick(), 2000);
    };
    let timer = setTimeout(() => void tick(), 0);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [url]);

  if (!url) return <p class="muted">This server runs without its metrics port (--no-metrics): no live figures.</p>;
  const st = state.current;
  return (
    <section>
      <h1>Server</h1>
      <p class="muted">
        Live from <code>{url}</code>, every 2 s.
      </p>
      <ErrorLine error={error} />
      {now ? (
        <div class="facts">
          <div class="card fact">
            <span class="muted">Resident memory</span>
            <strong data-testid="rss">{(now.rss / 2 ** 20).toFixed(0)} MiB</strong>
          </div>
          <div class="card fact">
            <span class="muted">Collections</span>
            <strong>{now.collections}</strong>
          </div>
          <div class="card fact">
            <span class="muted">Segments</span>
            <strong>{now.segments}</strong>
          </div>
          <div class="card fact">
            <span class="muted">Index backlog</span>
            <strong>{now.backlog} rows</strong>
          </div>
        </div>
      ) : null}
      <div class="charts">
        <Chart title="Requests per second by method" unit="req/s" series={st.qps} version={version} />
        <Chart title="Mean latency by method" unit="ms" series={st.latency} version={version} />
        <Chart title="Memory" unit="MiB" series={st.memory} version={version} />
        <Chart title="Segments by collection" unit="segments" series={st.segments} version={version} />
        <Chart title="Index backlog" unit="rows" series={st.backlog} version={version} />
      </div>
    </section>
  );
}
