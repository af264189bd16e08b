// Character sets of MARC data. Owned by the charsets work; the readers call only this surface.

/** The encodings a MARC record's bytes may be in. */
export type MarcEncoding = 'utf-8' | 'marc-8' | 'iso-5426' | 'windows-1251' | 'iso-8859-1';

/** A problem met while decoding, with the byte offset inside the decoded buffer. */
export interface DecodeIssue {
  offset: number;
  reason: string;
}

export interface DecodeResult {
  text: string;
  issues: DecodeIssue[];
}

/**
 * Decodes bytes of one field or subfield to Unicode (NFC). Never throws: undecodable bytes
 * become U+FFFD and are reported in `issues`.
 */
export declare function decodeMarcBytes(bytes: Uint8Array, encoding: MarcEncoding): DecodeResult;

/** True when the bytes are well-formed UTF-8 containing at least one multi-byte sequence. */
export declare function looksLikeUtf8(bytes: Uint8Array): boolean;
