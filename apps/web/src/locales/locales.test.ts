import { describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../lib/domain';

type Tree = { [key: string]: string | Tree };

const files = import.meta.glob<Tree>('./*/*.json', { eager: true, import: 'default' });
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

function catalog(language: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, tree] of Object.entries(files)) {
    const match = /^\.\/([^/]+)\/([^/]+)\.json$/.exec(file);
    if (match?.[1] !== language) continue;
    for (const [k, v] of flatten(tree)) out.set(`${match[2]}:${k}`, v);
  }
  return out;
}

/** Keys with the plural suffix taken off, so languages with more plural forms compare equal. */
function baseKeys(keys: Iterable<string>): Set<string> {
  return new Set([...keys].map((k) => k.replace(PLURAL, '')));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1] ?? '').sort();
}

const english = catalog('en');
const pluralBases = [...new Set([...english.keys()].filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')))];

describe('translations', () => {
  it('English has texts and plural keys to compare against', () => {
    expect(english.size).toBeGreaterThan(100);
    expect(pluralBases.length).toBeGreaterThan(3);
  });

  it('every namespace exists in every language', () => {
    const namespaces = (language: string) =>
      Object.keys(files)
        .filter((f) => f.startsWith(`./${language}/`))
        .map((f) => f.split('/')[2])
        .sort();
    for (const language of SUPPORTED_LOCALES) expect(namespaces(language), language).toEqual(namespaces('en'));
  });

  describe.each(SUPPORTED_LOCALES.filter((l) => l !== 'en'))('%s', (language) => {
    const texts = catalog(language);

    it('has exactly the keys English has (plural forms aside)', () => {
      const mine = baseKeys(texts.keys());
      const theirs = baseKeys(english.keys());
      expect(
        [...theirs].filter((k) => !mine.has(k)),
        'missing',
      ).toEqual([]);
      expect(
        [...mine].filter((k) => !theirs.has(k)),
        'unknown',
      ).toEqual([]);
    });

    it('uses the same placeholders as English', () => {
      for (const [key, value] of texts) {
        const englishKey = english.has(key) ? key : `${key.replace(PLURAL, '')}_other`;
        const source = english.get(englishKey);
        if (source === undefined) continue;
        // A plural form may spell out the number ("one organization"), so {{count}} is optional there.
        const expected = placeholders(source).filter((p) => !(PLURAL.test(key) && p === 'count'));
        const actual = placeholders(value).filter((p) => !(PLURAL.test(key) && p === 'count'));
        expect(actual, `${language} ${key}`).toEqual(expected);
      }
    });
  });

  describe.each(SUPPORTED_LOCALES)('%s', (language) => {
    const texts = catalog(language);

    it('has no empty texts', () => {
      const empty = [...texts].filter(([, v]) => v.trim() === '').map(([k]) => k);
      expect(empty).toEqual([]);
    });

    it("has every plural form the language's Intl.PluralRules needs, and no others", () => {
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories.map(String).sort();
      for (const base of pluralBases) {
        const forms = [...texts.keys()]
          .filter((k) => k.replace(PLURAL, '') === base && PLURAL.test(k))
          .map((k) => PLURAL.exec(k)?.[1] ?? '')
          .sort();
        expect(forms, `${language} ${base}`).toEqual(categories);
      }
    });
  });

  it('never gives a dialog two buttons with the same words', () => {
    for (const language of SUPPORTED_LOCALES) {
      const texts = catalog(language);
      const cancel = texts.get('common:action.cancel');
      for (const action of [
        'org:members.revoke',
        'account:tokens.revoke',
        'account:sessions.end',
        'account:sessions.endOthers',
      ]) {
        expect(texts.get(action), `${language} ${action}`).not.toBe(cancel);
      }
    }
  });

  it('is not English copied into other languages', () => {
    // Names of standards read the same in every language.
    const names = new Set(['interop:harvest.prefixes.marc21', 'interop:harvest.prefixes.oai_dc']);
    for (const language of SUPPORTED_LOCALES.filter((l) => l !== 'en')) {
      const texts = catalog(language);
      const same = [...english].filter(
        ([k, v]) => texts.get(k) === v && v.length > 12 && !/^\{\{/.test(v) && !names.has(k),
      );
      expect(
        same.map(([k]) => k),
        language,
      ).toEqual([]);
    }
  });
});
