// Our readers plus MARCXML writer against `yaz-marcdump -o marcxml` on every record of
// ../shared/data/marc (ISO 2709) and ../shared/data/marcxml (MARCXML, read by yaz with
// -i marcxml) that both sides read cleanly.
//
// The comparison, decided here: each of our records, written with marcxmlRecord(), must equal
// yaz's <record> block for the same record character for character, after one normalisation
// of yaz's side only: Unicode NFC (yaz passes UTF-8 through as it is and decomposes MARC-8
// diacritics; our reader promises NFC). Whitespace is not normalised: the writer lays records
// out exactly as yaz does. Records are fed to yaz one encoding group at a time (yaz converts
// per run) and only those we read cleanly, so yaz's output lines up with ours one to one.
// MARC-8 records (ISO 2709 read as MARC-8, MARCXML whose MARC 21 leader/09 is blank) get one more,
// on yaz's side only: yaz leaves the Library of Congress's numeric character references
// (`&#x200F;`) as text where our readers decode them, so they are decoded in yaz's output
// (decodeYazReferences) and those records are compared like any other.
// For UNIMARC, where our readers also rewrite 100 $a/26-33 (the character sets) to '50' as
// leader/09 becomes 'a' for MARC 21, yaz's 100 $a gets the same rewrite before comparing.
// yaz's warning comments (<!-- … --> lines) are removed before comparing. A record that either
// side read with warnings may differ (each side repairs damage its own way) and is counted
// apart; every record read without warnings by both must be identical.
import { describe, expect, test } from 'vitest';

import { readIso2709 } from './iso2709-reader.js';
import { readMarcxml } from './marcxml-reader.js';
import { marcxmlRecord } from './marcxml-writer.js';
import type { BytePosition, LinePosition, RecordRead } from './read-result.js';
import { collect, filesUnder, readData } from './test/shared-data.js';
import { decodeYazReferences, hasYaz, recordBlocks, YAZ_CHARSET, yazMarcxml, yazMarcxmlFromXml } from './test/yaz.js';

interface Tally {
  compared: number;
  equal: number;
  differentWithWarnings: number;
  unframed: number;
  byEncoding: Record<string, number>;
  /** Records equal to yaz's after numeric character references in yaz's output were decoded. */
  withReferences: number;
  mismatches: string[];
  explained: string[];
}

async function compareFile(file: string, tally: Tally): Promise<void> {
  const items = await collect(readIso2709(readData(file), { keepRaw: true }));
  const groups = new Map<string, RecordRead<BytePosition>[]>();
  for (const item of items) {
    if (!('record' in item)) continue;
    // yaz frames records by the leader's length; a record whose length is wrong is ours alone.
    const raw = item.raw as Uint8Array;
    if (raw[raw.length - 1] !== 0x1d || Number(Buffer.from(raw.subarray(0, 5)).toString('latin1')) !== raw.length) {
      tally.unframed++;
      continue;
    }
    const key = item.encoding ?? 'utf-8';
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  for (const [encoding, records] of groups) {
    const input = Buffer.concat(records.map((r) => r.raw as Uint8Array));
    const blocks = recordBlocks(yazMarcxml(input, YAZ_CHARSET[encoding as keyof typeof YAZ_CHARSET]));
    expect(blocks.length, `${file} (${encoding}): yaz read ${blocks.length} of ${records.length} records`).toBe(
      records.length,
    );
    records.forEach((read, i) => {
      let block = (blocks[i] as string).normalize('NFC');
      let hadReferences = false;
      if (encoding === 'marc-8') {
        const decoded = decodeYazReferences(block, { xml: true });
        hadReferences = decoded !== block;
        block = decoded;
      }
      if (read.flavour === 'unimarc') block = declareUnicodeIn100(block);
      const theirs = block.replace(/^<!--.*-->\n/gm, '');
      const warned = read.warnings.length > 0 || theirs !== block;
      tally.compared++;
      const ours = marcxmlRecord(read.record);
      if (ours === theirs) {
        tally.equal++;
        tally.byEncoding[encoding] = (tally.byEncoding[encoding] ?? 0) + 1;
        if (hadReferences) tally.withReferences++;
      } else if (warned) {
        tally.differentWithWarnings++;
        tally.explained.push(
          `${file} record ${read.position.index}: ${read.warnings.join('; ') || 'yaz warned'}\n${firstDifference(ours, theirs)}`,
        );
      } else
        tally.mismatches.push(`${file} record ${read.position.index} (${encoding}):\n${firstDifference(ours, theirs)}`);
    });
  }
}

/** leader/09 of a MARCXML record as its source has it (our reader hands out 'a'). */
function sourceLeader09(item: RecordRead<LinePosition>): string | undefined {
  const raw = new TextDecoder().decode(item.raw);
  return /<(?:[\w.-]+:)?leader(?:\s[^>]*)?>([^<]*)</.exec(raw)?.[1]?.[9];
}

function declareUnicodeIn100(block: string): string {
  return block.replace(
    /(<datafield tag="100"[^>]*>\n {4}<subfield code="a">)([^<&]{34,})/,
    (_, head: string, value: string) => head + value.slice(0, 26) + '50      ' + value.slice(34),
  );
}

function firstDifference(ours: string, theirs: string): string {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `  ours: ${JSON.stringify(a[i])}\n  yaz:  ${JSON.stringify(b[i])}`;
  }
  return '(identical lines)';
}

describe.skipIf(!hasYaz)('MARCXML output equals yaz-marcdump', () => {
  test('every record of ../shared/data/marc both read cleanly', { timeout: 120_000 }, async () => {
    const tally: Tally = {
      compared: 0,
      equal: 0,
      differentWithWarnings: 0,
      unframed: 0,
      byEncoding: {},
      withReferences: 0,
      mismatches: [],
      explained: [],
    };
    for (const file of filesUnder('marc')) await compareFile(file, tally);
    expect(tally.mismatches).toEqual([]);
    expect(tally.compared).toBeGreaterThan(6400);
    expect(tally.equal).toBeGreaterThan(6400);
    // MARC-8 records, converted by yaz (-f MARC-8 -t UTF-8) and by our decoder, are among them.
    expect(tally.byEncoding['marc-8']).toBeGreaterThan(1700);
    // IRMARC8.bin's records 3 and 7 hold references ('&#x200F;'): equal after decoding yaz's.
    expect(tally.withReferences).toBeGreaterThanOrEqual(2);
    expect(tally.explained.length, tally.explained.join('\n')).toBeLessThan(20);
  });
});

describe.skipIf(!hasYaz)('MARCXML read and written again equals yaz-marcdump -i marcxml -o marcxml', () => {
  test('every record of ../shared/data/marcxml both read cleanly', { timeout: 120_000 }, async () => {
    const tally = {
      compared: 0,
      equal: 0,
      marc8: 0,
      withReferences: 0,
      differentWithWarnings: 0,
      filesSkipped: [] as string[],
      mismatches: [] as string[],
    };
    for (const file of filesUnder('marcxml')) {
      const items = await collect(readMarcxml(readData(file), { keepRaw: true }));
      const read = items.filter((i): i is RecordRead<LinePosition> => !('error' in i));
      const blocks = recordBlocks(yazMarcxmlFromXml(readData(file)));
      if (items.some((i) => 'error' in i) || blocks.length !== read.length) {
        tally.filesSkipped.push(file);
        continue;
      }
      read.forEach((item, i) => {
        let block = (blocks[i] as string).normalize('NFC');
        let hadReferences = false;
        if (item.flavour === 'marc21' && sourceLeader09(item) === ' ') {
          const decoded = decodeYazReferences(block, { xml: true });
          tally.marc8++;
          hadReferences = decoded !== block;
          block = decoded;
        }
        if (item.flavour === 'unimarc') block = declareUnicodeIn100(block);
        const theirs = block.replace(/^<!--.*-->\n/gm, '');
        tally.compared++;
        const ours = marcxmlRecord(item.record);
        if (ours === theirs) {
          tally.equal++;
          if (hadReferences) tally.withReferences++;
        } else if (item.warnings.length > 0 || theirs !== block) tally.differentWithWarnings++;
        else tally.mismatches.push(`${file} record ${item.position.index}:\n${firstDifference(ours, theirs)}`);
      });
    }
    expect(tally.mismatches).toEqual([]);
    expect(tally.compared).toBeGreaterThan(1200);
    expect(tally.equal).toBeGreaterThan(1100);
    // Records with a blank leader/09 (MARC-8 text) are among them, four holding references
    // ('&#x200F;' in xbib-marc's 1.xml, 2.xml and IRMARC8.bin.xml), equal after decoding yaz's.
    expect(tally.marc8).toBeGreaterThan(500);
    expect(tally.withReferences).toBeGreaterThanOrEqual(4);
    // Files with a failure of ours, or where yaz finds another number of records, are not compared.
    expect(tally.filesSkipped).toEqual([
      'marcxml/evergreen/README.datasets.txt',
      'marcxml/evergreen/serials_marc21.xml',
      'marcxml/xbib-marc/HT006944711.xml',
      'marcxml/xbib-marc/HT016424175.xml',
      'marcxml/xbib-marc/lvi.xml',
      'marcxml/xbib-marc/rusmarc.xml',
    ]);
  });
});
