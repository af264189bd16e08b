// Until the character-set half of the package exists, tests stand in a UTF-8-only decoder for
// the parts of src/charsets that are not implemented yet; once they are, the real ones are used.
import type * as Charsets from '../charsets/index.js';

const fatal = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

function fallbackDecode(bytes: Uint8Array, encoding: Charsets.MarcEncoding): Charsets.DecodeResult {
  if (encoding !== 'utf-8') {
    return {
      text: lenient.decode(bytes).normalize('NFC'),
      issues: [{ offset: 0, reason: `no ${encoding} decoder in this build` }],
    };
  }
  try {
    return { text: fatal.decode(bytes).normalize('NFC'), issues: [] };
  } catch {
    return {
      text: lenient.decode(bytes).normalize('NFC'),
      issues: [{ offset: 0, reason: 'invalid UTF-8 byte sequence' }],
    };
  }
}

function fallbackLooksLikeUtf8(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
  } catch {
    return false;
  }
  return bytes.some((b) => b >= 0x80);
}

export function withCharsetFallback(real: typeof Charsets): typeof Charsets {
  return {
    ...real,
    decodeMarcBytes: typeof real.decodeMarcBytes === 'function' ? real.decodeMarcBytes : fallbackDecode,
    looksLikeUtf8: typeof real.looksLikeUtf8 === 'function' ? real.looksLikeUtf8 : fallbackLooksLikeUtf8,
  };
}

/** True once src/charsets has a real decoder (MARC-8 comparisons run only then). */
export function hasRealDecoder(real: typeof Charsets): boolean {
  return typeof real.decodeMarcBytes === 'function';
}
