// Types shared by the decoders; index.ts re-exports them as the package's surface.

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
