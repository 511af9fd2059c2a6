// The growable byte buffer the OTLP trace writer encodes into: protobuf primitives, lengths back-patched in place.
//
// One instance is reused for every export (encoding is synchronous, so exports never interleave). A
// length-delimited field reserves the varint bytes its length will most likely need; when the real
// length needs a different count, the body is moved once (copyWithin), so every length is the minimal
// varint, exactly as upstream's serializer writes it (the output is byte-identical, see the tests).

const INITIAL_BYTES = 64 * 1024;
/** A buffer grown past this (one huge batch) is dropped after the export instead of being kept. */
export const KEEP_MAX_BYTES = 4 * 1024 * 1024;
/** After this many exports that used under a quarter of the buffer, it is halved (dd-trace's chunk model). */
const SHRINK_AFTER = 32;

/** Hex digit → nibble; 0 for anything that is not a hex digit (ids are validated by the SDK). */
const NIBBLE = new Uint8Array(128);
for (let c = 0; c < 10; c++) NIBBLE[48 + c] = c;
for (let c = 0; c < 6; c++) {
  NIBBLE[65 + c] = 10 + c;
  NIBBLE[97 + c] = 10 + c;
}

export function varintSize(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

export class ByteWriter {
  buf: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  pos = 0;
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  private lowUse = 0;

  reset(): void {
    this.pos = 0;
  }

  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(this.pos + n);
  }

  private grow(needed: number): void {
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.setBuffer(next);
  }

  private setBuffer(b: Buffer): void {
    this.buf = b;
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  /** A fresh copy of what was written (the transport keeps it while in flight); then sizes the buffer for next time. */
  finish(): Uint8Array {
    // Not zero-filled (every byte is overwritten) and not from the shared pool (it outlives this call).
    const out = Buffer.allocUnsafeSlow(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    const size = this.buf.length;
    if (size > KEEP_MAX_BYTES) {
      this.setBuffer(Buffer.allocUnsafe(INITIAL_BYTES));
      this.lowUse = 0;
    } else if (size > INITIAL_BYTES && this.pos < size / 4) {
      if (++this.lowUse >= SHRINK_AFTER) {
        this.setBuffer(Buffer.allocUnsafe(size / 2));
        this.lowUse = 0;
      }
    } else {
      this.lowUse = 0;
    }
    this.pos = 0;
    return out;
  }

  /** An unsigned varint below 2^32 (tags, lengths, counts, enum values). */
  uint32(v: number): void {
    this.ensure(5);
    const b = this.buf;
    let p = this.pos;
    v >>>= 0;
    while (v > 0x7f) {
      b[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[p++] = v;
    this.pos = p;
  }

  /** An int64 varint from a JS integer in [-2^63, 2^63): negatives as 10-byte two's complement. */
  int64(v: number): void {
    if (v >= 0 && v <= 0xffffffff) {
      this.uint32(v);
      return;
    }
    let lo: number;
    let hi: number;
    if (v >= 0) {
      lo = v >>> 0;
      hi = Math.floor(v / 0x100000000) >>> 0;
    } else {
      const a = -v;
      lo = ~(a >>> 0) >>> 0;
      hi = ~(Math.floor(a / 0x100000000) >>> 0) >>> 0;
      lo = (lo + 1) >>> 0;
      if (lo === 0) hi = (hi + 1) >>> 0;
    }
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (hi !== 0 || lo > 0x7f) {
      b[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    b[p++] = lo;
    this.pos = p;
  }

  fixed32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
  }

  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** HrTime [seconds, nanos] as fixed64 nanoseconds, without BigInt: seconds split in 16-bit halves keep every product exact. */
  hrTime(t: readonly [number, number]): void {
    const s = t[0];
    const sLow = s % 0x10000;
    const sHigh = (s - sLow) / 0x10000;
    const lowPart = sLow * 1e9 + t[1]; // < 2^47
    const highPart = sHigh * 1e9; // < 2^46, to be multiplied by 2^16
    const highLow16 = highPart % 0x10000;
    const lo = lowPart + highLow16 * 0x10000; // < 2^48
    const loWord = lo % 0x100000000;
    const hiWord = (lo - loWord) / 0x100000000 + (highPart - highLow16) / 0x10000;
    this.ensure(8);
    const b = this.buf;
    let p = this.pos;
    let x = loWord >>> 0;
    b[p++] = x & 0xff; b[p++] = (x >>> 8) & 0xff; b[p++] = (x >>> 16) & 0xff; b[p++] = x >>> 24;
    x = hiWord >>> 0;
    b[p++] = x & 0xff; b[p++] = (x >>> 8) & 0xff; b[p++] = (x >>> 16) & 0xff; b[p++] = x >>> 24;
    this.pos = p;
  }

  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    this.ensure(n);
    if (n < 48) {
      // A byte loop beats set()'s call overhead for the short keys and pairs written most.
      const b = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) b[p++] = bytes[i];
      this.pos = p;
    } else {
      this.buf.set(bytes, this.pos);
      this.pos += n;
    }
  }

  /** Length-prefixed bytes. */
  bytes(bytes: Uint8Array): void {
    this.uint32(bytes.length);
    this.raw(bytes);
  }

  /** A hex id written as length-prefixed raw bytes, straight into the buffer (no intermediate array). */
  hexBytes(hex: string): void {
    const n = hex.length >>> 1;
    this.uint32(n);
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const h = hex.charCodeAt(2 * i);
      const l = hex.charCodeAt(2 * i + 1);
      b[p++] = (NIBBLE[h & 0x7f] << 4) | NIBBLE[l & 0x7f];
    }
    this.pos = p;
  }

  /** A length-prefixed UTF-8 string (lone surrogates become U+FFFD, as TextEncoder does). */
  string(s: string): void {
    const len = s.length;
    if (len < 0x80) {
      // Short ASCII, the common case: one pass, no byte-length computation.
      this.ensure(len + 1);
      const b = this.buf;
      const start = this.pos + 1;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[start + i] = c;
      }
      if (i === len) {
        b[this.pos] = len;
        this.pos = start + len;
        return;
      }
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.uint32(n);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos, n, 'utf8');
  }

  /** Starts a length-delimited body; `reserve` is the length varint size expected. Returns the mark for end(). */
  begin(reserve: number): number {
    this.ensure(reserve);
    const mark = this.pos;
    this.pos += reserve;
    return mark * 8 + reserve;
  }

  /** Writes the body's length at its mark, moving the body if the length needs other than the reserved bytes. */
  end(mark: number): void {
    const reserve = mark & 7;
    const at = (mark - reserve) / 8;
    const bodyStart = at + reserve;
    const len = this.pos - bodyStart;
    const size = varintSize(len);
    if (size !== reserve) {
      if (size > reserve) this.ensure(size - reserve);
      this.buf.copyWithin(at + size, bodyStart, this.pos);
      this.pos += size - reserve;
    }
    const b = this.buf;
    let p = at;
    let v = len;
    while (v > 0x7f) {
      b[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[p] = v;
  }
}
