// Text analysis shared by indexing and querying, so both sides fold text the same way.
// PostgreSQL does the stemming (to_tsvector per language); here we do what it cannot:
// Arabic letter normalization and bigrams for scripts written without spaces.

const ARABIC_DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g; // harakat, Quranic marks, tatweel
const ARABIC_LETTERS: Record<string, string> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ى: 'ي',
  ئ: 'ي',
  ؤ: 'و',
  ة: 'ه',
};

/** Han, Hiragana, Katakana, Hangul: scripts whose words are not separated by spaces. */
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

/** Unicode NFKC, lower case, Arabic letter forms unified and diacritics dropped. */
export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(ARABIC_DIACRITICS, '')
    .replace(/[أإآٱىئؤة]/g, (c) => ARABIC_LETTERS[c] ?? c);
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
