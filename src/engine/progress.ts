/**
 * Progress of long background work (index builds, collection loads), reported to whoever opened the
 * engine (`EngineOptions.onProgress`): `elanus serve` writes each event as a log line. Events are
 * few by design: a build reports when it starts, at each quarter and when it ends; a load when it
 * starts, when its segments are read and when it is done.
 */
export type ProgressEvent =
  | {
      task: 'index build';
      collection: string;
      field: string;
      indexType: string;
      segment: number;
      rows: number;
      /** 0 at the start, 100 when built. */
      percent: number;
    }
  | {
      task: 'load';
      collection: string;
      stage: 'started' | 'segments read' | 'loaded';
      /** The engine's load progress at this stage (0, 50, 100). */
      percent: number;
      ms: number;
    };

export type ProgressListener = (event: ProgressEvent) => void;

/**
 * A fraction callback (as index builders call it) that reports 0, each quarter crossed, and 100
 * once; `report` gets whole percents.
 */
export function quarterSteps(report: (percent: number) => void): (fraction: number) => void {
  let last = -1;
  return (fraction) => {
    const percent = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
    const step = percent === 100 ? 100 : Math.floor(percent / 25) * 25;
    if (step <= last) return;
    last = step;
    report(step);
  };
}
