/** Text analysis (analyzers, token hashing) for full-text search and text match. See README.md. */
export { buildAnalyzer, parseAnalyzerParams, type Analyzer, type Token } from './analyzer.js';
export { tokenHash } from './hash.js';
export { termFrequencies } from './term-frequencies.js';
export { MatchIndex, matchFields, matchIndexOf, phraseInRow } from './match-index.js';
export { decodeMatchIndex, encodeMatchIndex } from './match-index-file.js';
