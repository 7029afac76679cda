// Bump allocator over the module's linear memory. Each index owns its own Wasm instance, so memory is
// freed by dropping the instance; `heapMark`/`heapRelease` give scratch space back (stack-like).

let top: usize = 0;

@inline function init(): void {
  if (top == 0) top = (__heap_base + 15) & ~15;
}

/** 16-byte aligned block of `bytes`; grows memory as needed. Returns 0 when memory cannot grow. */
export function alloc(bytes: usize): usize {
  init();
  const p = top;
  const end = (p + bytes + 15) & ~15;
  const have = (<usize>memory.size()) << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  top = end;
  return p;
}

export function heapMark(): usize {
  init();
  return top;
}

export function heapRelease(mark: usize): void {
  top = mark;
}
