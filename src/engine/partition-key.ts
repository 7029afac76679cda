/** Routing rows to hash partitions in partition-key collections. */
const utf8 = new TextEncoder();

/** FNV-1a over the key's canonical text; stable across runs and platforms. */
export function partitionSlot(key: bigint | string, numPartitions: number): number {
  const bytes = utf8.encode(typeof key === 'bigint' ? `i:${key}` : `s:${key}`);
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % numPartitions;
}

export function partitionKeyPartitionName(slot: number): string {
  return `_default_${slot}`;
}
