import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeForIndex, cjkBigrams, foldText } from './analyze.js';

describe('text analysis', () => {
  it('unifies Arabic alef, yeh, waw and teh marbuta forms and drops diacritics and tatweel', () => {
    expect(foldText('إِسْلامٌ')).toBe(foldText('اسلام'));
    expect(foldText('مكتبـــة')).toBe('مكتبه');
    expect(foldText('مستشفى')).toBe('مستشفي');
    expect(foldText('أحمد')).toBe(foldText('احمد'));
  });

  it('folds Persian and Urdu letter forms with the Arabic ones: yeh, kaf, heh', () => {
    // Farsi yeh U+06CC, keheh U+06A9 (Persian keyboard) against yeh U+064A, kaf U+0643.
    expect(foldText('\u06A9\u062A\u0627\u0628')).toBe('\u0643\u062A\u0627\u0628'); // کتاب → كتاب
    expect(foldText('ایران')).toBe(foldText('ايران'));
    expect(foldText('فارسی')).toBe(foldText('فارسي'));
    expect(foldText('فارسی')).toBe(foldText('فارسى'));
    expect(foldText('کتابخانه ملی')).toBe(foldText('كتابخانه ملي'));
    // Urdu heh goal U+06C1, and heh with the ezafe hamza (U+06C0, or heh + U+0654) → heh.
    expect(foldText('\u06A9\u062A\u0627\u0628\u06C1')).toBe('\u0643\u062A\u0627\u0628\u0647');
    expect(foldText('خان\u06C0')).toBe('خانه');
    expect(foldText('خان\u0647\u0654')).toBe('خانه');
    expect(foldText('\u06C2')).toBe('\u0647');
    // Ae (U+06D5), the Kurdish and Uyghur vowel, stays a letter of its own.
    expect(foldText('\u06D5')).toBe('\u06D5');
    // Presentation forms reach the table through NFKC: ﻙ (U+FED9, isolated kaf) and ﯼ (U+FBFC, Farsi yeh).
    expect(foldText('\uFED9\uFBFC')).toBe('\u0643\u064A');
  });

  it('folds like the per-character rules it implements, on any mix of scripts', () => {
    // The rules as regular expressions, as foldText once applied them.
    const reference = (text: string) =>
      text
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g, '')
        .replace(/[أإآٱ]/g, 'ا')
        .replace(/[ىئ\u06CC]/g, 'ي')
        .replace(/ؤ/g, 'و')
        .replace(/\u06A9/g, 'ك')
        .replace(/[ة\u06C0-\u06C2]/g, 'ه');
    const char = fc.oneof(
      fc.integer({ min: 0x600, max: 0x6ff }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0xfb50, max: 0xfeff }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('a', 'Ä', ' ', 'Ж', '中', '-'),
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 30 }), (chars) => {
        const text = chars.join('');
        expect(foldText(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('lower-cases and applies compatibility normalization', () => {
    expect(foldText('ＡＢＣ Müller')).toBe('abc müller');
  });

  it('turns CJK runs into overlapping bigrams and keeps other words', () => {
    expect(cjkBigrams('中华人民')).toEqual(['中华', '华人', '人民']);
    expect(analyzeForIndex('夏目漱石 草枕 Kusamakura')).toBe('夏目 目漱 漱石 草枕 kusamakura');
    expect(analyzeForIndex('日本の茶書')).toBe('日本 本の の茶 茶書');
  });

  it('indexes every bigram of a query that is part of an indexed CJK title', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'中华人民共和国图书馆文学历史'), { minLength: 3, maxLength: 12 }),
        fc.nat(),
        fc.nat(),
        (chars, a, b) => {
          const title = chars.join('');
          const start = a % (chars.length - 1);
          const end = start + 2 + (b % (chars.length - start - 1));
          const part = chars.slice(start, end).join('');
          const indexed = new Set(analyzeForIndex(title).split(' '));
          for (const bigram of analyzeForIndex(part).split(' ')) expect(indexed.has(bigram)).toBe(true);
        },
      ),
    );
  });
});
