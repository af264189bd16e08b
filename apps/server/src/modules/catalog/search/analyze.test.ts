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
