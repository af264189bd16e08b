// Test helper: real records from ../shared/data, read in place and normalized as the catalogue does.
import fs from 'node:fs';
import path from 'node:path';
import { readRecords, type MarcFlavour, type MarcRecord } from '@athenaeum/marc';
import type { NormalizedRecord } from '@athenaeum/contracts';
import { SHARED_DATA } from '../normalize/marc-fixtures.js';
import { normalizeRecord } from '../normalize/unimarc.js';

export interface RealRecord {
  file: string;
  marc: MarcRecord;
  flavour: MarcFlavour;
  fields: NormalizedRecord;
}

/** Every record of the given files under ../shared/data (paths relative to it). */
export async function realRecords(...files: string[]): Promise<RealRecord[]> {
  const out: RealRecord[] = [];
  for (const file of files) {
    for await (const item of readRecords(fs.readFileSync(path.join(SHARED_DATA, file)))) {
      if ('error' in item) continue;
      const flavour = item.flavour ?? 'marc21';
      out.push({ file, marc: item.record, flavour, fields: normalizeRecord(item.record, flavour) });
    }
  }
  return out;
}

/** Files with books, a map, a score, a sound recording, a video, serials, UNIMARC, 880 fields and damage. */
export const EXPORT_TEST_FILES = [
  'marc/pymarc/test.dat',
  'marc/xbib-marc/chabon.mrc',
  'marc/evergreen/RDA_record_MAP_2012_Enchanted_Circle.mrc',
  'marc/evergreen/RDA_record_SCORE_Arias_for_bass.mrc',
  'marc/evergreen/RDA_record_CD_Claudia.mrc',
  'marc/evergreen/RDA_record_DVD-BLUE-RAY-MOVIE_Pineapple_express.mrc',
  'marc/evergreen/RDA_record_SERIAL_IEEE_International_conference.mrc',
  'marc/pymarc/testunimarc.dat',
  'marc/pymarc/bad_indicator.dat',
  'marc/pymarc/alphatag.dat',
  'marcxml/evergreen/concerto_bibs_fre.xml',
  'marcxml/evergreen/concerto_bibs_graphic_880.xml',
  'marcxml/openlibrary/flatlandromanceo00abbouoft_marc.xml',
];
