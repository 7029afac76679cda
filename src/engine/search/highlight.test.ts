import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MilvusError } from '../../core/errors.js';
import { buildAnalyzer } from '../../text/index.js';
import { applyHighlight, fragmentsOf, parseHighlighter } from './highlight.js';
import type { Hit } from '../requests.js';

test('highlighter params: defaults, the SDK key/value form, JSON-string values, and the refusals', () => {
  assert.deepEqual(parseHighlighter({ type: 0 }), { preTags: ['<em>'], postTags: ['</em>'], fragmentSize: 100, numOfFragments: 5, fragmentOffset: 0, searchText: false, queries: [] });
  const kv = parseHighlighter({ type: 0, params: [{ key: 'pre_tags', value: '["{"]' }, { key: 'post_tags', value: '["}"]' }, { key: 'fragment_size', value: '60' }, { key: 'highlight_search_text', value: 'true' }, { key: 'highlight_query', value: '[{"type":"TextMatch","field":"t","text":"a b"}]' }] });
  assert.deepEqual(kv, { preTags: ['{'], postTags: ['}'], fragmentSize: 60, numOfFragments: 5, fragmentOffset: 0, searchText: true, queries: [{ type: 'TextMatch', field: 't', text: 'a b' }] });
  assert.equal(parseHighlighter(undefined), undefined);
  for (const bad of [{ type: 1 }, { type: 7 }, { pre_tags: [] }, { post_tags: 'x' }, { fragment_size: 0 }, { num_of_fragments: -1 }, { fragment_offset: 1.5 }, { queries: [{ type: 'TextMatch', field: 't' }] }, { highlight_search_text: 'maybe' }]) {
    assert.throws(() => parseHighlighter({ type: 0, ...bad }), (e: unknown) => e instanceof MilvusError && e.code === 1100, JSON.stringify(bad));
  }
});

test('fragments count Unicode code points, as Milvus does ([]rune)', () => {
  const h = parseHighlighter({ type: 0, pre_tags: ['['], post_tags: [']'], fragment_size: 8, fragment_offset: 2 })!;
  const an = buildAnalyzer({ type: 'standard' });
  const hits: Hit[][] = [[{ pk: 1n, score: 1, fields: { t: 'Crème brûlée 🍮 dessert: brûlée' } }]];
  applyHighlight(h, [{ field: { name: 't' } as never, analyzer: an, searchText: true, texts: [] }], hits, ['brûlée'], (x, f) => x.fields[f]);
  assert.deepEqual(hits[0]![0]!.highlight, { t: { fragments: ['e [brûlée]', ': [brûlée]'], scores: [] } });
  assert.deepEqual(fragmentsOf('abc', [], h), []);
});
