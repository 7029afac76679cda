/** The collection's fields, normalised for the reply encoders. */
import type { Engine } from '../../../engine/engine.js';
import { toFieldInfo, type FieldInfo } from '../codecs/schema.js';

const cache = new WeakMap<object, { count: number; infos: FieldInfo[] }>();

/** Normalised fields, cached per schema field list (recomputed if the list changes length). */
export function collectionFields(engine: Engine, req: { collection_name: string; db_name: string }): FieldInfo[] {
  const fields = engine.catalog.describeCollection(req).schema.fields;
  const hit = cache.get(fields);
  if (hit && hit.count === fields.length) return hit.infos;
  const infos = fields.map(toFieldInfo);
  cache.set(fields, { count: fields.length, infos });
  return infos;
}
