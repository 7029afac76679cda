/** RunAnalyzer: `analyzer_params` arrives as JSON text and the texts as `placeholder` bytes. */
import { runAnalyzer } from '../../../engine/text-ops.js';
import { dbOf, type HandlerTable } from './types.js';

const dec = new TextDecoder();

export const textHandlers: HandlerTable = {
  async RunAnalyzer(req, ctx) {
    const texts = (Array.isArray(req.placeholder) ? (req.placeholder as Uint8Array[]) : []).map((b) => dec.decode(b));
    const params = req.analyzer_params;
    return runAnalyzer({
      analyzer_params: params === '' ? undefined : params,
      text: texts,
      with_detail: req.with_detail === true,
      with_hash: req.with_hash === true,
      db_name: dbOf(req, ctx),
      collection_name: req.collection_name || undefined,
      field_name: req.field_name || undefined,
    });
  },
};
