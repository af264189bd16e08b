import type { MaterialType } from '@athenaeum/contracts';

/**
 * The material type from the leader (type of record, bibliographic level) and 007/008, following
 * the MARC 21 bibliographic format; UNIMARC's leader uses the same letters for these positions.
 */
export function materialType(input: {
  leader: string;
  f007: string | null;
  f008: string | null;
  gmd: string | null;
}): MaterialType {
  const type = input.leader[6] ?? ' ';
  const level = input.leader[7] ?? ' ';
  const electronic = input.f007?.[0] === 'c' || /electronic|eletr[oô]nico|électronique|электрон/i.test(input.gmd ?? '');
  switch (type) {
    case 'a':
    case 'l': // UNIMARC: electronic resource coded as language material
      if (level === 's' || level === 'i') return 'serial';
      if (level === 'a' || level === 'b') return 'article';
      if (electronic || ['o', 's', 'q'].includes(input.f008?.[23] ?? '')) return 'ebook';
      return 'book';
    case 't':
    case 'b': // UNIMARC: manuscript language material
      return 'manuscript';
    case 'c':
    case 'd':
      return 'score';
    case 'e':
    case 'f':
      return 'map';
    case 'g':
      return 'video';
    case 'i':
      return 'audiobook';
    case 'j':
      return 'music';
    case 'k':
      return 'image';
    case 'm':
      return 'software';
    case 'o':
      return 'kit';
    case 'p':
      return 'mixed';
    case 'r':
      return 'object';
    default:
      return 'other';
  }
}
