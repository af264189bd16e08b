// Character sets of MARC data. Owned by the charsets work; the readers call only this surface.
import { decodeIso5426 } from './iso5426.js';
import { decodeMarc8 } from './marc8.js';
import { decodeLatin1, decodeWindows1251 } from './single-byte.js';
import type { DecodeResult, MarcEncoding } from './types.js';
import { decodeUtf8, looksLikeUtf8 as utf8Check } from './utf8.js';

export type { DecodeIssue, DecodeResult, MarcEncoding } from './types.js';
export { decodeMarc8References, encodeMarc8, type Marc8EncodeResult } from './marc8.js';

/**
 * Decodes bytes of one field or subfield to Unicode (NFC). Never throws: undecodable bytes
 * become U+FFFD and are reported in `issues`, with offsets into `bytes`. Delimiters pass
 * through; in MARC-8 each subfield or field delimiter restores the default sets (ASCII, ANSEL),
 * so a whole field decodes exactly as its subfields do one by one, and numeric character
 * references (`&#x200F;`, LC's lossless conversion) become the characters they name.
 */
export function decodeMarcBytes(bytes: Uint8Array, encoding: MarcEncoding): DecodeResult {
  try {
    switch (encoding) {
      case 'marc-8':
        return decodeMarc8(bytes);
      case 'utf-8':
        return decodeUtf8(bytes);
      case 'iso-5426':
        return decodeIso5426(bytes);
      case 'windows-1251':
        return decodeWindows1251(bytes);
      case 'iso-8859-1':
        return decodeLatin1(bytes);
      default: {
        const result = decodeUtf8(bytes);
        result.issues.unshift({ offset: 0, reason: `unknown encoding ${String(encoding)}, read as UTF-8` });
        return result;
      }
    }
  } catch (error) {
    // The decoders have no throwing paths on any input (property-tested); this guards the
    // promise made to the readers should one appear.
    return {
      text: '\uFFFD'.repeat(bytes.length > 0 ? 1 : 0),
      issues: [{ offset: 0, reason: `decoder failed: ${error instanceof Error ? error.message : String(error)}` }],
    };
  }
}

/** True when the bytes are well-formed UTF-8 containing at least one multi-byte sequence. */
export function looksLikeUtf8(bytes: Uint8Array): boolean {
  return utf8Check(bytes);
}
