/** Small shared pieces: the confirmation dialog, error line, progress bar, tabs of a collection. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from './api.js';

/** A modal <dialog> (Esc cancels, focus stays inside) asking before a destructive action. */
export function useConfirm(): [(text: string, action: string) => Promise<boolean>, ComponentChildren] {
  const [ask, setAsk] = useState<{ text: string; action: string; resolve: (ok: boolean) => void } | undefined>();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (ask && ref.current && !ref.current.open) ref.current.showModal();
  }, [ask]);
  const close = (ok: boolean): void => {
    ref.current?.close();
    ask?.resolve(ok);
    setAsk(undefined);
  };
  const dialog = ask ? (
    <dialog ref={ref} class="confirm" aria-labelledby="confirm-text" onCancel={() => close(false)}>
      <p id="confirm-text">{ask.text}</p>
      <div class="row end">
        <button type="button" class="ghost" onClick={() => close(false)}>
          Cancel
        </button>
        <button type="button" class="danger" onClick={() => close(true)}>
          {ask.action}
        </button>
      </div>
    </dialog>
  ) : null;
  return [(text, action) => new Promise<boolean>((resolve) => setAsk({ text, action, resolve })), dialog];
}

export function ErrorLine({ error }: { error: unknown }) {
  if (error === undefined || error === null || error === '') return null;
  return (
    <p class="error" role="alert">
      {typeof error === 'string' ? error : errorText(error)}
    </p>
  );
}

export function Progress({ value, label }: { value: number; label: string }) {
  const v = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <span class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={v} aria-label={label}>
      <span class="track">
        <span class="bar" style={{ width: `${v}%` }} />
      </span>
      <span class="pct">{v}%</span>
    </span>
  );
}

export function CollectionTabs({ db, name, at }: { db: string; name: string; at: '' | 'data' | 'search' | 'map' }) {
  const base = `#/c/${encodeURIComponent(db)}/${encodeURIComponent(name)}`;
  const tabs: [string, string][] = [
    ['', 'Overview'],
    ['data', 'Data'],
    ['search', 'Search'],
    ['map', 'Vector map'],
  ];
  return (
    <div class="crumbs">
      <a href="#/">{db}</a> / <strong>{name}</strong>
      <nav class="tabs" aria-label="Collection">
        {tabs.map(([k, label]) => (
          <a key={k} href={k ? `${base}/${k}` : base} aria-current={at === k ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
    </div>
  );
}

/** Renders any cell value readably: vectors shortened, JSON pretty-printed on demand. */
export function Cell({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span class="muted">null</span>;
  if (Array.isArray(value) && value.length > 8 && value.every((x) => typeof x === 'number')) {
    return (
      <details>
        <summary>
          [{value
            .slice(0, 4)
            .map((x) => (Number.isInteger(x) ? String(x) : x.toFixed(3)))
            .join(', ')}
          , …] <span class="muted">({value.length})</span>
        </summary>
        <code class="wrap">{JSON.stringify(value)}</code>
      </details>
    );
  }
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    if (text.length <= 60) return <code>{text}</code>;
    return (
      <details>
        <summary>
          <code>{text.slice(0, 50)}…</code>
        </summary>
        <pre>{JSON.stringify(value, null, 2)}</pre>
      </details>
    );
  }
  return <>{String(value)}</>;
}

export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
