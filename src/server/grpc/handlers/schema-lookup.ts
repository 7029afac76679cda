/** The collection's fields for the reply encoders: the engine's own schema, never a copy of it. */
import type { Engine } from '../../../engine/engine.js';
import type { FieldSchema } from '../../../core/schema.js';

export function collectionFields(engine: Engine, req: { collection_name: string; db_name: string }): readonly FieldSchema[] {
  return engine.catalog.describeCollection(req).schema.fields;
}
