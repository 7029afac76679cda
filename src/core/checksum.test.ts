import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c } from './checksum.js';

test('crc32c: the standard check value, empty input, and checksumming in pieces', () => {
  const bytes = new TextEncoder().encode('123456789');
  assert.equal(crc32c(bytes), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  const long = Uint8Array.from({ length: 1001 }, (_, i) => (i * 31 + 7) & 0xff);
  for (const cut of [0, 1, 7, 8, 9, 500, 1001]) assert.equal(crc32c(long.subarray(cut), crc32c(long.subarray(0, cut))), crc32c(long));
});
