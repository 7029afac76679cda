/**
 * Loads Wasm kernel modules from their embedded base64 (wasm/<module>.generated.ts, written by
 * scripts/build-wasm.mjs). The relaxed-SIMD build is chosen once per module when the runtime
 * validates it (Node 20 needs --experimental-wasm-relaxed-simd), else the baseline SIMD build.
 */
import { MilvusError, ErrorCode } from '../../core/errors.js';

/** The slice of the WebAssembly JS API we use (the project's TS lib has no DOM/WebAssembly types). */
export interface WasmModuleHandle {
  readonly kind?: 'wasm-module';
}
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModuleHandle;
  Instance: new (module: WasmModuleHandle, imports: Record<string, Record<string, unknown>>) => WasmInstance;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface WasmBinaries {
  simd: string;
  relaxed: string;
}

export type WasmVariant = 'relaxed' | 'simd';

const compiled = new Map<WasmBinaries, { module: WasmModuleHandle; variant: WasmVariant }>();

function decode(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

function pick(bins: WasmBinaries): { module: WasmModuleHandle; variant: WasmVariant } {
  let hit = compiled.get(bins);
  if (hit) return hit;
  const forced = process.env.ELANUS_WASM_VARIANT;
  const relaxed = decode(bins.relaxed);
  const useRelaxed = forced !== 'simd' && WA.validate(relaxed);
  if (useRelaxed) hit = { module: new WA.Module(relaxed), variant: 'relaxed' };
  else {
    const simd = decode(bins.simd);
    if (!WA.validate(simd)) {
      throw new MilvusError(ErrorCode.ServiceUnimplemented, 'this runtime does not support WebAssembly SIMD (needed by the vector kernels)');
    }
    hit = { module: new WA.Module(simd), variant: 'simd' };
  }
  compiled.set(bins, hit);
  return hit;
}

/** The compiled module (cached). */
export function wasmModule(bins: WasmBinaries): WasmModuleHandle {
  return pick(bins).module;
}

/** Which build was chosen for this module. */
export function wasmVariant(bins: WasmBinaries): WasmVariant {
  return pick(bins).variant;
}

/** A fresh instance with its own linear memory. */
export function instantiate(bins: WasmBinaries): WasmInstance {
  return new WA.Instance(wasmModule(bins), {
    env: {
      abort: () => {
        throw new MilvusError(ErrorCode.ServiceInternal, 'Wasm kernel aborted');
      },
    },
  });
}
