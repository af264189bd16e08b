import * as contracts from '@athenaeum/contracts';
import { describe, expect, it } from 'vitest';
import { canImport } from './permissions';
import { apiSearchParams, decadeChecked, toggleDecade, toggled, validateCatalogSearch } from './search-params';
import { IMPORT_FORMATS, IMPORT_STATUSES, MATERIAL_TYPES, marcLanguageTag } from './vocabulary';

describe("the catalogue's vocabularies in the web app", () => {
  it('equal the contracts', () => {
    expect(MATERIAL_TYPES).toEqual(contracts.MATERIAL_TYPES);
    expect(IMPORT_FORMATS).toEqual(contracts.CATALOG_IMPORT_FORMATS);
    expect(IMPORT_STATUSES).toEqual(contracts.CATALOG_IMPORT_STATUSES);
  });

  it('names MARC languages by the codes Intl knows', () => {
    expect(marcLanguageTag('ger')).toBe('deu');
    expect(marcLanguageTag('chi')).toBe('zho');
    expect(marcLanguageTag('rus')).toBe('rus');
    expect(marcLanguageTag('und')).toBeNull();
    expect(new Intl.DisplayNames(['en'], { type: 'language' }).of(marcLanguageTag('fre')!)).toBe('French');
  });
});

describe('the search page state in the URL', () => {
  it('keeps what the API accepts and drops the rest', () => {
    const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(
      validateCatalogSearch({
        q: '  wizard ',
        material: 'book,spaceship,book,map',
        language: 'eng,EN,rus',
        library: `${uuid},not-an-id`,
        subject: ['Magic', '', 'Russia, History'],
        available: 'true',
        yearFrom: 1990,
        yearTo: '1960',
        sort: 'date',
        page: 3,
      }),
    ).toEqual({
      q: 'wizard',
      material: 'book,map',
      language: 'eng,rus',
      library: uuid,
      subject: ['Magic', 'Russia, History'],
      available: true,
      yearFrom: 1960,
      yearTo: 1990,
      sort: 'date',
      page: 3,
    });
    expect(validateCatalogSearch({ sort: 'relevance', page: 1, available: 'no', yearFrom: 'x' })).toEqual({
      q: undefined,
      material: undefined,
      language: undefined,
      library: undefined,
      subject: undefined,
      available: undefined,
      yearFrom: undefined,
      yearTo: undefined,
      sort: undefined,
      page: undefined,
    });
  });

  it('asks the API with a subject whole, commas included', () => {
    const params = apiSearchParams({ q: 'war', subject: ['Russia, History'], material: 'book,map', page: 2 });
    expect(params.getAll('subject')).toEqual(['Russia, History', 'Russia, History']);
    expect(params.get('material')).toBe('book,map');
    expect(params.get('page')).toBe('2');
    expect(params.get('pageSize')).toBe('20');
    expect(apiSearchParams({ subject: ['Magic', 'Dragons'] }).getAll('subject')).toEqual(['Magic', 'Dragons']);
  });

  it('toggles list values', () => {
    expect(toggled(undefined, 'book')).toBe('book');
    expect(toggled('book,map', 'book')).toBe('map');
    expect(toggled('map', 'map')).toBeUndefined();
  });

  it('makes ticked decades one range of years', () => {
    let range = toggleDecade({}, 1960);
    expect(range).toEqual({ yearFrom: 1960, yearTo: 1969 });
    range = toggleDecade(range, 1980);
    expect(range).toEqual({ yearFrom: 1960, yearTo: 1989 });
    expect(decadeChecked(range, 1970)).toBe(true);
    expect(decadeChecked(range, 1990)).toBe(false);
    expect(toggleDecade(range, 1960)).toEqual({ yearFrom: 1970, yearTo: 1989 });
    expect(toggleDecade(range, 1980)).toEqual({ yearFrom: 1960, yearTo: 1979 });
    expect(toggleDecade(range, 1970)).toEqual({ yearFrom: 1960, yearTo: 1969 });
    expect(toggleDecade({ yearFrom: 1960, yearTo: 1969 }, 1960)).toEqual({ yearFrom: undefined, yearTo: undefined });
  });
});

describe('who may import', () => {
  const library = { id: 'lib', kind: 'library' };
  const person = (roles: Array<[string, string]>, isPlatformAdmin = false) =>
    ({
      isPlatformAdmin,
      roles: roles.map(([id, role]) => ({
        id: `${id}-${role}`,
        role,
        organization: { id, kind: 'library', code: 'X', names: {}, country: 'FR' },
      })),
    }) as unknown as contracts.Me;
  it('is staff and admins of the library, and platform admins', () => {
    expect(canImport(person([['lib', 'staff']]), library)).toBe(true);
    expect(canImport(person([['lib', 'admin']]), library)).toBe(true);
    expect(canImport(person([['lib', 'patron']]), library)).toBe(false);
    expect(canImport(person([['other', 'staff']]), library)).toBe(false);
    expect(canImport(person([], true), library)).toBe(true);
    expect(canImport(person([['lib', 'staff']]), { id: 'lib', kind: 'branch' })).toBe(false);
    expect(canImport(null, library)).toBe(false);
  });
});
