// Text analysis shared by indexing and querying, so both sides fold text the same way.
// PostgreSQL does the stemming (to_tsvector per language); here we do what it cannot:
// Arabic letter normalization and bigrams for scripts written without spaces.

// Arabic-script folding, one table over the Arabic block (U+0600–U+06FF): each character dropped
// (''), replaced, or kept (undefined).
// Dropped: harakat and other marks (U+064B–U+065F, U+0670), Quranic marks (U+0610–U+061A,
// U+06D6–U+06ED) and tatweel (U+0640).
// Letter forms unified: alef with hamza or madda and alef wasla → alef; alef maksura and yeh with
// hamza → yeh; waw with hamza → waw; teh marbuta → heh. Persian and Urdu type some letters with
// their own code points, which Arabic-typed records do not use: Farsi yeh (U+06CC) → yeh, keheh
// (U+06A9) → kaf, Urdu heh goal (U+06C1) → heh, and heh with yeh above and heh goal with hamza
// above (U+06C0, U+06C2: the hamza is dropped, as from the other letters) → heh. Not U+06D5 (ae):
// in Kurdish and Uyghur it is the vowel e, a letter of its own beside heh.
const ARABIC_FOLD: Array<string | undefined> = (() => {
  const table: Array<string | undefined> = new Array(0x100);
  const drop = (from: number, to: number) => {
    for (let c = from; c <= to; c++) table[c - 0x600] = '';
  };
  drop(0x610, 0x61a);
  drop(0x64b, 0x65f);
  drop(0x670, 0x670);
  drop(0x6d6, 0x6ed);
  drop(0x640, 0x640);
  const letters: Array<[string, string]> = [
    ['أإآٱ', 'ا'],
    ['ىئ\u06CC', 'ي'],
    ['ؤ', 'و'],
    ['\u06A9', 'ك'],
    ['ة\u06C1\u06C0\u06C2', 'ه'],
  ];
  for (const [forms, letter] of letters) for (const form of forms) table[form.charCodeAt(0) - 0x600] = letter;
  return table;
})();
const ARABIC_BLOCK = /[\u0600-\u06FF]/;

/** Han, Hiragana, Katakana, Hangul: scripts whose words are not separated by spaces. */
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

/** Unicode NFKC, lower case, Arabic-script letter forms unified (Persian and Urdu ones too) and diacritics dropped. */
export function foldText(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase();
  // One pass over text with Arabic script; other text is returned as it is.
  if (!ARABIC_BLOCK.test(folded)) return folded;
  let out = '';
  let kept = 0;
  for (let i = 0; i < folded.length; i++) {
    const code = folded.charCodeAt(i) - 0x600;
    const to = code >= 0 && code < 0x100 ? ARABIC_FOLD[code] : undefined;
    if (to === undefined) continue;
    out += folded.slice(kept, i) + to;
    kept = i + 1;
  }
  return kept === 0 ? folded : out + folded.slice(kept);
}

/** Overlapping character bigrams of a CJK run ("中华人民" → "中华 华人 人民"); a single character stays. */
export function cjkBigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i < chars.length - 1; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * Text ready for to_tsvector/websearch_to_tsquery: folded, and with every CJK run replaced by
 * its bigrams as separate words, so part of a Chinese or Japanese title matches.
 */
export function analyzeForIndex(text: string): string {
  return foldText(text)
    .replace(CJK_RUN, (run) => ` ${cjkBigrams(run).join(' ')} `)
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when the text contains a CJK run (the query then matches bigrams as a phrase). */
export function hasCjk(text: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text);
}
