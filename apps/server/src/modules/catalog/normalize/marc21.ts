import type { Author, Link, NormalizedRecord, Subject } from '@athenaeum/contracts';
import type { DataField, MarcRecord } from '@athenaeum/marc';
import { isbnDigits, normalizeIsbn, normalizeIssn, normalizeLccn, normalizeOclc } from './identifiers.js';
import {
  clean,
  distinctSeries,
  joinClean,
  MarcView,
  type SeriesForm,
  seriesIssnsOf,
  sub,
  subs,
  unique,
} from './marc-access.js';
import { materialType } from './material-type.js';
import { MAX_TITLE_KEY, truncated } from './truncate.js';

const NAME_KIND = { '0': 'person', '1': 'organization', '2': 'meeting' } as const;
const SUBJECT_KIND: Record<string, Subject['kind']> = {
  '600': 'person',
  '610': 'organization',
  '611': 'meeting',
  '630': 'title',
  '650': 'topic',
  '651': 'place',
  '655': 'genre',
};
const SUBJECT_VOCABULARY: Record<string, string> = {
  '0': 'lcsh',
  '1': 'lcshac',
  '2': 'mesh',
  '3': 'nal',
  '5': 'cash',
  '6': 'rvm',
};

function nameOf(field: DataField): { kind: Author['kind']; name: string; dates: string | null } {
  const tag = field.tag.slice(1);
  const kind = tag === '00' ? 'person' : tag === '10' ? 'organization' : tag === '11' ? 'meeting' : NAME_KIND['0'];
  const parts = kind === 'person' ? subs(field, 'abcq') : subs(field, kind === 'meeting' ? 'acdnq' : 'abcdn');
  return { kind, name: joinClean(parts) ?? '', dates: kind === 'person' ? clean(sub(field, 'd')) : null };
}

function rolesOf(field: DataField, main: boolean): string[] {
  const roles = [
    ...subs(field, 'e').map((r) => clean(r)!.toLowerCase()),
    ...subs(field, '4').map((c) => c.trim().toLowerCase()),
  ].filter(Boolean);
  return unique(roles.length ? roles : main ? ['author'] : []);
}

function authorsOf(view: MarcView): Author[] {
  const authors: Author[] = [];
  for (const field of view.fields('100', '110', '111', '700', '710', '711')) {
    const { kind, name, dates } = nameOf(field);
    if (!name) continue;
    const alt = view.alternateOf(field);
    const main = field.tag.startsWith('1');
    authors.push({
      name,
      dates,
      kind,
      roles: rolesOf(field, main),
      main,
      altScript: alt ? nameOf(alt).name || null : null,
    });
  }
  return authors;
}

/**
 * An 880 field's value cleaned like the others, and of the Arabic comma and semicolon that end
 * its subfields where the romanized field has "," and ";" ("… الانسانية،").
 */
function cleanAlt(value: string | null | undefined): string | null {
  return clean(value?.replace(/[\s\u060C\u061B]+$/, ''));
}

function headingOf(field: DataField, cleaning: (value: string) => string | null): string | null {
  return clean(
    field.subfields
      .filter((s) => /[a-dvxyzt]/.test(s.code))
      .map((s) => cleaning(s.value))
      .filter(Boolean)
      .join(' -- '),
  );
}

/** Subject headings; one linked to an 880 field carries that field's heading as `altScript`. */
function subjectsOf(view: MarcView): Subject[] {
  const out: Subject[] = [];
  for (const field of view.fields('600', '610', '611', '630', '650', '651', '655')) {
    const heading = headingOf(field, clean);
    if (!heading) continue;
    const vocabulary = field.ind2 === '7' ? clean(sub(field, '2')) : (SUBJECT_VOCABULARY[field.ind2] ?? null);
    const subject: Subject = { heading, kind: SUBJECT_KIND[field.tag] ?? 'topic', vocabulary };
    const alt = view.alternateOf(field);
    const altScript = alt && headingOf(alt, cleanAlt);
    if (altScript) subject.altScript = altScript;
    out.push(subject);
  }
  return out;
}

/**
 * The languages of the record's own content: 008/35-37, 041 $a (text) and $d (sung or spoken
 * text). The other 041 codes describe something else (the original of a translation in $h,
 * an intermediate translation in $k, summaries, subtitles, accompanying material …).
 */
function languagesOf(view: MarcView): string[] {
  const codes: string[] = [];
  const from008 = view.control('008')?.slice(35, 38).trim().toLowerCase();
  if (from008 && /^[a-z]{3}$/.test(from008) && from008 !== 'und' && from008 !== 'zxx') codes.push(from008);
  for (const field of view.fields('041')) {
    for (const value of subs(field, 'ad')) {
      // Older records pack several codes into one subfield: "engfre".
      for (const code of value.toLowerCase().match(/[a-z]{3}/g) ?? []) codes.push(code);
    }
  }
  return unique(codes);
}

function yearOf(view: MarcView, dateText: string | null): number | null {
  const f008 = view.control('008');
  const date1 = f008?.slice(7, 11);
  if (date1 && /^\d{4}$/.test(date1) && date1 !== '9999' && !['b', 'n', '|'].includes(f008![6]!)) return Number(date1);
  const fromText = dateText?.match(/\b(1[0-9]{3}|20[0-9]{2})\b/);
  return fromText ? Number(fromText[1]) : null;
}

function linksOf(view: MarcView): Link[] {
  return view.fields('856').flatMap((field) => {
    const label = clean(sub(field, '3') ?? sub(field, 'y') ?? sub(field, 'z'));
    const kind: Link['kind'] = /cover|jacket|обложк|capa|couverture/i.test(label ?? '')
      ? 'cover'
      : field.ind2 === '2'
        ? 'related'
        : 'resource';
    return subs(field, 'u').map((url) => ({
      url: kind === 'cover' ? secureImage(url.trim()) : url.trim(),
      label,
      kind,
    }));
  });
}

/**
 * A cover's address as an image can be loaded from: `http:` becomes `https:` (the site's
 * Content-Security-Policy allows https: images only, so an http: cover never showed; hosts of
 * cover images serve them over https). Other links are kept as written.
 */
function secureImage(url: string): string {
  return /^http:\/\//i.test(url) ? `https://${url.slice('http://'.length)}` : url;
}

// Series access points: the uniform title (830) first, then the name-title ones (800, 810, 811).
const AUTHORIZED_SERIES = ['830', '800', '810', '811'];
// The subfields of the name before $t of an 800, 810 or 811 (its relator terms and codes,
// affiliation, authority and control subfields aside); after $t, $t, $n and $p make the title.
const SERIES_NAME: Record<string, string> = { '800': 'abcdgq', '810': 'abcdgn', '811': 'acdegnq' };

/**
 * A series field's title without its volume ($v), ISSN ($x) or other subfields: 830 and 440 $a
 * with $n and $p, 800/810/811 their name with $t, $n and $p; `tag` is the field's own or, for an
 * 880, the one it stands for. The subfields are joined as written, their ISBD punctuation between
 * them kept ("Department of State publication. Department and Foreign Service series").
 */
function seriesForm(field: DataField, tag: string, cleaning: (value: string) => string | null): SeriesForm {
  const name = SERIES_NAME[tag];
  if (!name) return { text: cleaning(subs(field, 'anp').join(' ')) };
  const t = field.subfields.findIndex((s) => s.code === 't');
  if (t < 0) return { text: null };
  const before = field.subfields.slice(0, t).filter((s) => name.includes(s.code));
  const after = field.subfields.slice(t).filter((s) => 'tnp'.includes(s.code));
  return {
    text: cleaning([...before, ...after].map((s) => s.value).join(' ')),
    title: cleaning(after.map((s) => s.value).join(' ')),
  };
}

/**
 * Series titles without volume numbers: the authorized 8XX forms, the 440s (statement and access
 * point in one, in legacy records) and the 490 statements, each $a of one (series and subseries,
 * parallel titles) apart.
 */
function seriesOf(view: MarcView): string[] {
  return distinctSeries([
    ...view.fields(...AUTHORIZED_SERIES, '440').map((f) => seriesForm(f, f.tag, clean)),
    ...view.fields('490').flatMap((f) => subs(f, 'a').map((a) => ({ text: clean(a) }))),
  ]);
}

/**
 * The same from the 880 fields standing for 8XX, 440 and 490 (linked or not), chosen apart from
 * the romanized ones: a record may give the original script of its 490 statement only.
 */
function altSeriesOf(view: MarcView): string[] {
  return distinctSeries([
    ...[...AUTHORIZED_SERIES, '440'].flatMap((tag) => view.alternatesFor(tag).map((f) => seriesForm(f, tag, cleanAlt))),
    ...view.alternatesFor('490').flatMap((f) => subs(f, 'a').map((a) => ({ text: cleanAlt(a) }))),
  ]);
}

/**
 * The 880 field giving a field's original script: the one linked to it, else an unlinked one
 * ("260-00") of one of the tags, which stands for no field of the record (it may have none).
 */
function alternateOf(view: MarcView, field: DataField | null, tags: string[]): DataField | null {
  return (
    (field && view.alternateOf(field)) ??
    tags.flatMap((tag) => view.alternatesFor(tag)).find((f) => /^\d{3}-00/.test(sub(f, '6') ?? '')) ??
    null
  );
}

/** The original-script forms of series, edition, publisher and place, each only when there is one. */
function alternateForms(
  view: MarcView,
  publication: DataField | null,
): Pick<NormalizedRecord, 'altSeries' | 'altEdition' | 'altPublisher' | 'altPlace'> {
  const forms: Pick<NormalizedRecord, 'altSeries' | 'altEdition' | 'altPublisher' | 'altPlace'> = {};
  const altSeries = altSeriesOf(view);
  if (altSeries.length) forms.altSeries = altSeries;
  const altEdition = cleanAlt(sub(alternateOf(view, view.first('250'), ['250']), 'a'));
  if (altEdition) forms.altEdition = altEdition;
  const altPublication = alternateOf(view, publication, ['264', '260']);
  const altPublisher = cleanAlt(sub(altPublication, 'b'));
  if (altPublisher) forms.altPublisher = altPublisher;
  const altPlace = cleanAlt(sub(altPublication, 'a'));
  if (altPlace) forms.altPlace = altPlace;
  return forms;
}

/** Derives the catalogue's fields from a MARC 21 bibliographic record. */
export function normalizeMarc21(record: MarcRecord): NormalizedRecord {
  const view = new MarcView(record);
  const f245 = view.first('245');
  const title = clean(subs(f245, 'anp').join(' ')) ?? clean(sub(view.first('130'), 'a')) ?? '';
  const nonfiling = Number(f245?.ind2);
  const rawTitle = clean(sub(f245, 'a')) ?? title;
  const sortTitle = truncated(
    Number.isInteger(nonfiling) && nonfiling > 0 && nonfiling < rawTitle.length ? title.slice(nonfiling).trim() : title,
    MAX_TITLE_KEY,
  );
  const publication = view.fields('264').find((f) => f.ind2 === '1') ?? view.first('260') ?? view.first('264');
  const dateText = clean(sub(publication, 'c'));
  const isbnRaw = view.fields('020').flatMap((f) => subs(f, 'a'));
  const isbns = unique(isbnRaw.map(normalizeIsbn).filter((v): v is string => v !== null));
  const invalid = unique(
    [...isbnRaw.filter((r) => normalizeIsbn(r) === null), ...view.fields('020').flatMap((f) => subs(f, 'z'))]
      .map(isbnDigits)
      .filter((v): v is string => v !== null),
  );
  const has880 = view.fields('880').length > 0;
  const altTitles = unique(
    [
      ...view.alternatesFor('245').map((f) => clean(subs(f, 'ab').join(' ')) ?? ''),
      ...view.fields('246', '240', '130', '730').map((f) => clean(subs(f, 'anp').join(' ')) ?? ''),
      ...(has880
        ? ['246', '240', '130', '730'].flatMap((tag) =>
            view.alternatesFor(tag).map((f) => clean(subs(f, 'anp').join(' ')) ?? ''),
          )
        : []),
    ].filter(Boolean),
  );

  const normalized: NormalizedRecord = {
    title,
    sortTitle,
    subtitle: clean(sub(f245, 'b')),
    responsibility: clean(sub(f245, 'c')),
    altTitles,
    authors: authorsOf(view),
    subjects: subjectsOf(view),
    isbns,
    invalidIsbns: invalid,
    issns: unique(
      view
        .fields('022')
        .flatMap((f) => subs(f, 'a'))
        .map(normalizeIssn)
        .filter((v): v is string => v !== null),
    ),
    lccn: (() => {
      const raw = sub(view.first('010'), 'a');
      return raw ? normalizeLccn(raw) : null;
    })(),
    oclcNumbers: unique(
      view
        .fields('035')
        .flatMap((f) => subs(f, 'a'))
        .map(normalizeOclc)
        .filter((v): v is string => v !== null),
    ),
    languages: languagesOf(view),
    year: yearOf(view, dateText),
    dateText,
    publisher: clean(sub(publication, 'b')),
    place: clean(sub(publication, 'a')),
    edition: clean(sub(view.first('250'), 'a')),
    series: seriesOf(view),
    extent: clean(subs(view.first('300'), 'abc').join(' ')),
    materialType: materialType({
      leader: record.leader,
      f007: view.control('007'),
      f008: view.control('008'),
      gmd: sub(f245, 'h'),
    }),
    classification: {
      ddc: unique(
        view
          .fields('082')
          .flatMap((f) => subs(f, 'a'))
          .map((v) => v.replace(/\//g, '').trim()),
      ),
      udc: unique(
        view
          .fields('080')
          .flatMap((f) => subs(f, 'a'))
          .map((v) => v.trim()),
      ),
      lcc: unique(
        view
          .fields('050', '090')
          .map((f) => joinClean(subs(f, 'ab')))
          .filter((v): v is string => !!v),
      ),
      bbk: unique(
        view
          .fields('084')
          .filter((f) => /bbk/i.test(sub(f, '2') ?? ''))
          .flatMap((f) => subs(f, 'a'))
          .map((v) => v.trim()),
      ),
    },
    summary: joinClean(view.fields('520').flatMap((f) => subs(f, 'ab'))),
    notes: view
      .fields('500', '504', '505', '546')
      .map((f) => joinClean(subs(f, 'agrt'), ' '))
      .filter((v): v is string => !!v),
    links: linksOf(view),
  };
  const seriesIssns = seriesIssnsOf(view.fields(...AUTHORIZED_SERIES, '440', '490'), normalized.issns);
  if (seriesIssns.length) normalized.seriesIssns = seriesIssns;
  // Only records with 880 fields have these (most have none: their objects keep one shape).
  return has880 ? Object.assign(normalized, alternateForms(view, publication ?? null)) : normalized;
}
