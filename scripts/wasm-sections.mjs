// A WebAssembly binary's top-level sections, for the build scripts that rewrite the
// module (unexport.mjs) or measure it (merge-chunks.mjs).

// The unsigned LEB128 number at `at`: [value, the offset after it].
export function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

// `value` as unsigned LEB128.
export function uleb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}

// Each section after the 8-byte header: its id, where it starts (the id byte), where
// its body starts and where it ends.
export function* sections(wasm) {
  for (let at = 8; at < wasm.length; ) {
    const [size, body] = leb(wasm, at + 1);
    yield { id: wasm[at], start: at, body, end: body + size };
    at = body + size;
  }
}
