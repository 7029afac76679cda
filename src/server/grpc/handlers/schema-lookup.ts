/** The collection's fields, normalised for the reply encoders. */
import type { Engine } from '../../../engine/engine.js';
import { toFieldInfo, type FieldInfo } from '../codecs/schema.js';

export function collectionFields(engine: Engine, req: { collection_name: string; db_name: string }): FieldInfo[] {
  return engine.describeCollection(req).schema.fields.map(toFieldInfo);
}
