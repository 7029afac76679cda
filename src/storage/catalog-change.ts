/**
 * Catalog transactions (DataDir.change). A change runs against the live catalog; `recordChange`
 * notes, for every object and array in the catalog, which of its entries the change replaced, then
 * puts them all back (`undo`) in the same tick, so nothing outside ever sees the change before its
 * manifest is durable. `redo` puts the change's entries back in once it is — the very objects the
 * change made, so identities hold (the engine and the stores keep CollectionMeta references), and
 * entries the change did not touch keep whatever they became meanwhile (an index build recording
 * its segments, an auto-id reservation). The id counter never goes down.
 */
import type { CatalogState } from './catalog.js';

type Container = Record<string | number, unknown> | unknown[];

function isContainer(v: unknown): v is Container {
  return v !== null && typeof v === 'object' && !ArrayBuffer.isView(v);
}

/** Every object and array reachable from `root`, with a shallow copy of its entries. */
function snapshot(root: Container): Map<Container, Container> {
  const out = new Map<Container, Container>();
  const walk = (c: Container): void => {
    if (out.has(c)) return;
    out.set(c, Array.isArray(c) ? c.slice() : { ...c });
    for (const v of Object.values(c)) if (isContainer(v)) walk(v);
  };
  walk(root);
  return out;
}

export interface CatalogChange {
  /** False when the change altered nothing. */
  readonly changed: boolean;
  /** Puts the catalog back as it was before the change. */
  undo(): void;
  /** Makes the change again (after its manifest is durable). */
  redo(): void;
}

/** Runs `fn` on `catalog` and records what it changed (see the file comment); throws what `fn` throws, with the catalog put back. */
export function recordChange<T>(catalog: CatalogState, fn: (c: CatalogState) => T): { result: T; change: CatalogChange } {
  const root = catalog as unknown as Container;
  const before = snapshot(root);
  const restore = (): void => {
    for (const [c, copy] of before) {
      if (Array.isArray(c)) {
        const a = copy as unknown[];
        if (c.length !== a.length || c.some((x, i) => x !== a[i])) c.splice(0, c.length, ...a);
      } else {
        const o = copy as Record<string, unknown>;
        for (const k of Object.keys(c)) if (!(k in o)) delete c[k];
        for (const [k, v] of Object.entries(o)) if (c[k] !== v) c[k] = v;
      }
    }
  };
  let result: T;
  try {
    result = fn(catalog);
  } catch (err) {
    const next = catalog.nextId;
    restore();
    catalog.nextId = next;
    throw err;
  }
  // Per container that existed before: the entries the change set (arrays as a whole).
  const edits: { c: Container; keys: Map<string, unknown> | null; items: unknown[] | null }[] = [];
  for (const [c, copy] of before) {
    if (Array.isArray(c)) {
      const a = copy as unknown[];
      if (c.length !== a.length || c.some((x, i) => x !== a[i])) edits.push({ c, keys: null, items: c.slice() });
    } else {
      const o = copy as Record<string, unknown>;
      const keys = new Map<string, unknown>();
      for (const k of new Set([...Object.keys(o), ...Object.keys(c)])) {
        if (c === root && k === 'nextId') continue;
        if (!(k in c)) keys.set(k, DELETED);
        else if (!(k in o) || c[k] !== o[k]) keys.set(k, c[k]);
      }
      if (keys.size > 0) edits.push({ c, keys, items: null });
    }
  }
  const next = catalog.nextId;
  restore();
  catalog.nextId = next;
  return {
    result,
    change: {
      changed: edits.length > 0,
      undo: () => undefined,
      redo: () => {
        for (const e of edits) {
          if (e.items) (e.c as unknown[]).splice(0, (e.c as unknown[]).length, ...e.items);
          else
            for (const [k, v] of e.keys!) {
              const o = e.c as Record<string, unknown>;
              if (v === DELETED) delete o[k];
              else o[k] = v;
            }
        }
        catalog.nextId = Math.max(catalog.nextId, next);
      },
    },
  };
}

const DELETED = Symbol('deleted');

export function cloneCatalog(c: CatalogState): CatalogState {
  return structuredClone(c);
}
