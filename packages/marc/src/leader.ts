// The leader as every reader hands it out: 24 printable ASCII characters, leader/09 'a' (the
// text is Unicode now), and the structural positions ISO 2709 gives MARC 21 and UNIMARC
// (indicator count 2, subfield code length 2, directory entry map 4-5-0), which is how the
// ISO 2709 writer lays records out.

const STRUCTURE: Array<[position: number, value: string, what: string]> = [
  [10, '2', 'indicator count'],
  [11, '2', 'subfield code length'],
  [20, '4', 'length of the length-of-field part'],
  [21, '5', 'length of the starting-character-position part'],
  [22, '0', 'length of the implementation-defined part'],
];

/** The leader with its structural positions set, each change reported in `warnings`. */
export function normalizeLeader(leader: string, warnings: string[]): string {
  let text = leader;
  if (text.length !== 24 || !/^[\x20-\x7e]*$/.test(text)) {
    warnings.push(
      `leader ${JSON.stringify(text)} is not 24 printable ASCII characters; other characters were read as blanks and the length made 24`,
    );
    text = text
      .replace(/[^\x20-\x7e]/g, ' ')
      .padEnd(24, ' ')
      .slice(0, 24);
  }
  const chars = text.split('');
  chars[9] = 'a';
  for (const [position, value, what] of STRUCTURE) {
    if (chars[position] !== value) {
      warnings.push(`leader/${position} (${what}) is ${JSON.stringify(chars[position])}, read as '${value}'`);
      chars[position] = value;
    }
  }
  return chars.join('');
}
