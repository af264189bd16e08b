// Drives `yaz-marcdump` (Debian package yaz) as the reference implementation.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { escapeText } from '../marcxml-writer.js';

export const hasYaz = spawnSync('yaz-marcdump', ['-V']).status === 0;

/** yaz's name for the character set of each of our encodings. */
export const YAZ_CHARSET = {
  'utf-8': undefined,
  'marc-8': 'MARC-8',
  'iso-5426': 'ISO5426',
  'windows-1251': 'CP1251',
  'iso-8859-1': 'ISO-8859-1',
} as const;

/** `yaz-marcdump -i marc -o marcxml [-f CHARSET -t UTF-8] FILE` on the given ISO 2709 bytes. */
export function yazMarcxml(iso2709: Uint8Array, fromCharset?: string): string {
  return yaz(iso2709, ['-i', 'marc', '-o', 'marcxml', ...(fromCharset ? ['-f', fromCharset, '-t', 'UTF-8'] : [])]);
}

/** `yaz-marcdump -i marcxml -o marcxml FILE` on the given MARCXML. */
export function yazMarcxmlFromXml(xml: Uint8Array): string {
  return yaz(xml, ['-i', 'marcxml', '-o', 'marcxml']);
}

function yaz(input: Uint8Array, args: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'athenaeum-yaz-'));
  try {
    const file = path.join(dir, 'records');
    fs.writeFileSync(file, input);
    // yaz exits non-zero after some warnings; its output is still what is compared.
    const run = spawnSync('yaz-marcdump', [...args, file], { maxBuffer: 1 << 28 });
    if (run.error) throw run.error;
    return run.stdout.toString('utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The <record>…</record> blocks of yaz's output, each with its trailing newline. */
export function recordBlocks(xml: string): string[] {
  return xml.match(/<record>\n[\s\S]*?<\/record>\n/g) ?? [];
}

// yaz converts MARC-8 to UTF-8 without decoding the numeric character references of the Library
// of Congress's lossless conversion (`&#x200F;` for a character MARC-8 lacks): it leaves them as
// text, where our decoder (decodeMarc8References) turns them into the characters they name. So
// that records holding references are still compared character for character, comparisons
// decode them in yaz's output only, with this helper. Its rules are the decoder's, written apart
// so that a fault in the decoder is not copied into what it is checked against: `&#x`, hex
// digits, `;`; a reference beyond U+10FFFF, to a surrogate, to NUL or to an ISO 2709 delimiter
// (U+001D-U+001F) stays as it is. With `xml`, the text is yaz's MARCXML, where the '&' is
// '&amp;' and the character is escaped again by our MARCXML writer's escapeText.

/** yaz's output with MARC-8 numeric character references decoded (then NFC), as our decoder reads them. */
export function decodeYazReferences(text: string, { xml = false } = {}): string {
  const reference = xml ? /&amp;#x([0-9A-Fa-f]+);/g : /&#x([0-9A-Fa-f]+);/g;
  return text
    .replace(reference, (whole: string, digits: string) => {
      const cp = parseInt(digits, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0 || (cp >= 0x1d && cp <= 0x1f)) return whole;
      const c = String.fromCodePoint(cp);
      return xml ? escapeText(c) : c;
    })
    .normalize('NFC');
}
