// Minimal protobuf wire-format walker: enough to count OTLP spans, data points and log records
// without a schema, so the sink costs the shared CPU as little as possible while apps are measured.

/** Calls visit(fieldNumber, wireType, value) for each field of one message.
 *  value: number for varint/fixed32 (varints above 2^53 lose precision; we only read small ones),
 *  a Buffer slice for length-delimited fields, undefined for fixed64 (skipped). */
export function eachField(buf, visit) {
  let pos = 0;
  const end = buf.length;
  const varint = () => {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (pos >= end) throw new Error('protobuf: truncated varint');
      const byte = buf[pos++];
      result += (byte & 0x7f) * mul;
      if (byte < 0x80) return result;
      mul *= 128;
    }
  };
  while (pos < end) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) visit(field, wire, varint());
    else if (wire === 1) { pos += 8; visit(field, wire, undefined); }
    else if (wire === 2) {
      const len = varint();
      if (pos + len > end) throw new Error('protobuf: truncated field');
      visit(field, wire, buf.subarray(pos, pos + len));
      pos += len;
    } else if (wire === 5) { visit(field, wire, buf.readUInt32LE(pos)); pos += 4; }
    else throw new Error(`protobuf: unsupported wire type ${wire}`);
  }
  if (pos !== end) throw new Error('protobuf: overrun');
}

/** Every length-delimited sub-message at `path` (a list of field numbers), depth first. */
export function eachAt(buf, path, visit, depth = 0) {
  eachField(buf, (field, wire, value) => {
    if (field !== path[depth] || wire !== 2) return;
    if (depth === path.length - 1) visit(value);
    else eachAt(value, path, visit, depth + 1);
  });
}
