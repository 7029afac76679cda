/**
 * Text analysis requests: RunAnalyzer (the SDK's runAnalyzer) — analyse each text with the given
 * `analyzer_params` (or a collection field's analyzer) and return the tokens, with offsets and
 * positions when `with_detail`, with Milvus's term hash when `with_hash`.
 */
import { invalidParam } from '../core/errors.js';
import { buildAnalyzer, tokenHash } from '../text/index.js';

export interface RunAnalyzerReq {
  analyzer_params?: unknown;
  /** One text or several (the SDK's `text`; the gRPC request carries them as `placeholder` bytes). */
  text?: unknown;
  with_detail?: boolean;
  with_hash?: boolean;
  db_name?: string;
  collection_name?: string;
  field_name?: string;
}

export interface AnalyzerToken {
  token: string;
  start_offset?: number;
  end_offset?: number;
  position?: number;
  position_length?: number;
  hash?: number;
}

/** `fieldAnalyzer` resolves a collection field's analyzer_params when the request names one. */
export function runAnalyzer(req: RunAnalyzerReq, fieldAnalyzer?: (collection: string, field: string, db: string | undefined) => unknown): { results: { tokens: AnalyzerToken[] }[] } {
  const texts = Array.isArray(req.text) ? req.text : [req.text];
  if (req.text === undefined || texts.some((t) => typeof t !== 'string')) throw invalidParam('text', 'run_analyzer needs a text or a list of texts');
  let params = req.analyzer_params;
  if (req.collection_name && req.field_name && fieldAnalyzer) params = fieldAnalyzer(req.collection_name, req.field_name, req.db_name);
  const analyzer = buildAnalyzer(params);
  return {
    results: (texts as string[]).map((t) => ({
      tokens: analyzer.analyze(t).map((tok) => ({
        token: tok.token,
        ...(req.with_detail ? { start_offset: tok.startOffset, end_offset: tok.endOffset, position: tok.position, position_length: 1 } : {}),
        ...(req.with_hash ? { hash: tokenHash(tok.token) } : {}),
      })),
    })),
  };
}
