/**
 * Writes `.npy` files by NumPy's format rules (version 1.0: `\x93NUMPY`, 1, 0, u16 LE header length,
 * a Python dict header padded with spaces to a multiple of 64 bytes and ended by `\n`, then the C-order
 * data), as `numpy.save` writes them — what Milvus's Numpy import reads. The SDK's BulkWriter writes
 * JSON and Parquet only, so tests make their Numpy files with this.
 */
export function npy(descr: string, shape: readonly number[], data: Uint8Array): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const pad = (64 - ((10 + header.length + 1) % 64)) % 64;
  header += `${' '.repeat(pad)}\n`;
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
}

const bytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export const npyInt64 = (v: readonly (number | bigint)[]): Buffer => npy('<i8', [v.length], bytes(BigInt64Array.from(v.map((x) => BigInt(x)))));
export const npyInt32 = (v: readonly number[]): Buffer => npy('<i4', [v.length], bytes(Int32Array.from(v)));
export const npyInt16 = (v: readonly number[]): Buffer => npy('<i2', [v.length], bytes(Int16Array.from(v)));
export const npyFloat64 = (v: readonly number[]): Buffer => npy('<f8', [v.length], bytes(Float64Array.from(v)));
export const npyFloat32 = (v: readonly number[]): Buffer => npy('<f4', [v.length], bytes(Float32Array.from(v)));
export const npyBool = (v: readonly boolean[]): Buffer => npy('|b1', [v.length], Uint8Array.from(v.map((b) => (b ? 1 : 0))));

/** A 2-D float32 array (one vector per row). */
export function npyFloat32Matrix(rows: readonly (readonly number[])[]): Buffer {
  const dim = rows[0]?.length ?? 0;
  return npy('<f4', [rows.length, dim], bytes(Float32Array.from(rows.flat())));
}

/** A 2-D uint8 array (binary vectors: dim/8 bytes per row). */
export function npyUint8Matrix(rows: readonly (readonly number[])[]): Buffer {
  const width = rows[0]?.length ?? 0;
  return npy('|u1', [rows.length, width], Uint8Array.from(rows.flat()));
}

/** A 1-D unicode string array (`<U<n>`, UTF-32 code points, NUL padded), as NumPy stores `str`. */
export function npyUnicode(v: readonly string[]): Buffer {
  const width = Math.max(1, ...v.map((s) => [...s].length));
  const data = new Uint32Array(v.length * width);
  v.forEach((s, i) => [...s].forEach((ch, j) => (data[i * width + j] = ch.codePointAt(0)!)));
  return npy(`<U${width}`, [v.length], bytes(data));
}
