// For tests of a forced character set: an ISO 2709 record whose leader/09 says UTF-8 ('a', as
// writeIso2709 writes it) while its title is in Windows-1251, as legacy Russian files have it.
import { writeIso2709 } from '@athenaeum/marc';

/** Russian text (Cyrillic А–я, ASCII) in Windows-1251. */
function windows1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((c) => {
      const u = c.codePointAt(0)!;
      if (u < 0x80) return u;
      if (u >= 0x410 && u <= 0x44f) return u - 0x410 + 0xc0;
      throw new RangeError(`${c} is not written here in Windows-1251`);
    }),
  );
}

/** One MARC 21 record (001 `id`, 245 $a `title`) with leader/09 'a' and its title in Windows-1251. */
export function windows1251Record(id: string, title: string): Buffer {
  const placeholder = '#'.repeat([...title].length);
  const bytes = Buffer.from(
    writeIso2709({
      leader: '00000cam a2200000 a 4500',
      fields: [
        { tag: '001', value: id },
        { tag: '003', value: 'TEST' },
        { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: placeholder }] },
      ],
    }),
  );
  // One byte a letter in Windows-1251 as in the ASCII placeholder: lengths and directory hold.
  windows1251(title).copy(bytes, bytes.indexOf(placeholder));
  return bytes;
}
