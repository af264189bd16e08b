// Drives `yaz-marcdump` (Debian package yaz) as the reference implementation.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
