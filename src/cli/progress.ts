/**
 * Progress of a long CLI step: a bar (cli-progress) when the stream is a terminal, plain lines
 * otherwise (a log file, CI, a pipe) — `insert: 40% (40,000/100,000 rows)` at each tenth and a last
 * line with the time taken — so long work is visible wherever the output goes.
 */
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  start(total: number, value?: number): void;
  setTotal(total: number): void;
  update(value: number): void;
  stop(): void;
}

interface Stream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

class LineProgress implements Progress {
  private total = 0;
  private value = 0;
  private lastStep = -1;
  private started = 0;

  constructor(
    private readonly label: string,
    private readonly unit: string,
    private readonly out: Stream,
  ) {}

  start(total: number, value = 0): void {
    this.total = total;
    this.started = performance.now();
    this.lastStep = -1;
    this.update(value);
  }

  setTotal(total: number): void {
    this.total = total;
  }

  update(value: number): void {
    this.value = value;
    if (this.total <= 0) return;
    const step = Math.min(10, Math.floor((10 * value) / this.total));
    if (step <= this.lastStep || step === 10) return;
    this.lastStep = step;
    this.out.write(`${this.label}: ${step * 10}% (${fmt(value)}/${fmt(this.total)} ${this.unit})\n`);
  }

  /** Ends the report: a last line with the time taken, once everything counted is done. */
  stop(): void {
    if (this.total <= 0 || this.value < this.total) return;
    const seconds = (performance.now() - this.started) / 1000;
    this.out.write(`${this.label}: done, ${fmt(Math.max(this.value, this.total))} ${this.unit} in ${seconds.toFixed(2)} s\n`);
  }
}

/** A progress reporter for `label` on `stream` (stderr by default); null when disabled. */
export function progress(label: string, unit: string, enabled: boolean, stream: Stream = process.stderr): Progress | null {
  if (!enabled) return null;
  if (stream.isTTY) return new SingleBar({ format: `${label} |{bar}| {value}/{total} ${unit}`, stream: stream as NodeJS.WritableStream }, Presets.shades_classic);
  return new LineProgress(label, unit, stream);
}
