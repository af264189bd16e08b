import type { MaterialType } from '@athenaeum/contracts';

interface MaterialTypeInput {
  leader: string;
  f007: string | null;
  f008: string | null;
  /** The general material designation (MARC 21 245 $h, UNIMARC 200 $b). */
  gmd: string | null;
}

/**
 * The material type from the leader (type of record, bibliographic level) and 007/008, following
 * the MARC 21 bibliographic format.
 */
export function materialType(input: MaterialTypeInput): MaterialType {
  const type = input.leader[6] ?? ' ';
  const level = input.leader[7] ?? ' ';
  const electronic = input.f007?.[0] === 'c' || /electronic|eletr[oô]nico|électronique|электрон/i.test(input.gmd ?? '');
  switch (type) {
    case 'a':
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

/**
 * The material type of a UNIMARC record. UNIMARC's leader/6 and /7 use MARC 21's letters for
 * the same types (b, manuscript language material, is read as such above), except
 * l, electronic resource: an e-book, or a serial or an article as an electronic MARC 21 record
 * would be; and m, multimedia (no type predominates): MARC 21's kit.
 */
export function unimarcMaterialType(input: MaterialTypeInput): MaterialType {
  const type = input.leader[6] ?? ' ';
  const level = input.leader[7] ?? ' ';
  if (type === 'l') return level === 's' || level === 'i' ? 'serial' : level === 'a' ? 'article' : 'ebook';
  if (type === 'm') return 'kit';
  return materialType(input);
}
