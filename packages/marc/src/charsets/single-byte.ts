// Single-byte encodings without combining marks: ISO-8859-1 and Windows-1251. Neither has an
// unassigned byte, so decoding reports no issues.
import type { DecodeResult } from './types.js';
import { asciiString, unitBuffer, unitsString } from './text-buffer.js';

/** Latin-1: byte value = code point (0x80–0x9F are the C1 controls). Latin-1 text is NFC. */
export function decodeLatin1(bytes: Uint8Array): DecodeResult {
  let i = 0;
  const n = bytes.length;
  while (i < n && (bytes[i] as number) < 0x80) i++;
  if (i === n) return { text: asciiString(bytes), issues: [] };
  const out = unitBuffer(n);
  for (let k = 0; k < n; k++) out[k] = bytes[k] as number;
  return { text: unitsString(out, n), issues: [] };
}

let cp1251: InstanceType<typeof TextDecoder> | undefined;

/** Windows-1251 (Cyrillic), through the platform's WHATWG decoder. Its letters are all NFC. */
export function decodeWindows1251(bytes: Uint8Array): DecodeResult {
  cp1251 ??= new TextDecoder('windows-1251');
  return { text: cp1251.decode(bytes), issues: [] };
}
