import type { Author, Link, NormalizedRecord, Subject } from '@athenaeum/contracts';
import type { DataField, MarcFlavour, MarcRecord } from '@athenaeum/marc';
import { isbnDigits, normalizeIsbn, normalizeIssn } from './identifiers.js';
import { clean, distinctSeries, joinClean, MarcView, seriesIssnsOf, sub, subs, unique } from './marc-access.js';
import { unimarcMaterialType } from './material-type.js';
import { MAX_TITLE_KEY, truncated } from './truncate.js';
import { normalizeMarc21 } from './marc21.js';

const SUBJECT_KIND: Record<string, Subject['kind']> = {
  '600': 'person',
  '601': 'organization',
  '602': 'person',
  '604': 'title',
  '605': 'title',
  '606': 'topic',
  '607': 'place',
  '608': 'genre',
  '610': 'topic',
};
// UNIMARC relator codes that mean "author" (Appendix C): 070 author, 340 editor.
const RELATOR: Record<string, string> = {
  '070': 'author',
  '340': 'editor',
  '440': 'illustrator',
  '730': 'translator',
  '205': 'contributor',
  '651': 'publishing director',
};

function personName(field: DataField): string {
  const surname = clean(sub(field, 'a')) ?? '';
  const forename = clean(sub(field, 'b'));
  return [surname, forename].filter(Boolean).join(', ');
}

function authorsOf(view: MarcView): Author[] {
  const out: Author[] = [];
  for (const field of view.fields('700', '701', '702', '710', '711', '712')) {
    const person = field.tag.startsWith('70');
    const name = person ? personName(field) : (joinClean(subs(field, 'abc')) ?? '');
    if (!name) continue;
    const roles = unique(subs(field, '4').map((code) => RELATOR[code.trim()] ?? code.trim()));
    const main = field.tag === '700' || field.tag === '710';
    out.push({
      name,
      dates: person ? clean(sub(field, 'f')) : null,
      kind: person ? 'person' : field.ind1 === '1' ? 'meeting' : 'organization',
      roles: roles.length ? roles : main ? ['author'] : [],
      main,
      altScript: null,
    });
  }
  return out;
}

function linksOf(view: MarcView): Link[] {
  return view.fields('856').flatMap((f) =>
    subs(f, 'u').map((url) => ({
      url: url.trim(),
      label: clean(sub(f, 'z') ?? sub(f, '2')),
      kind: 'resource' as const,
    })),
  );
}

/**
 * A 410 (series) link's title: in the embedded-fields form the $a, $h and $i of its embedded 200
 * (or of an embedded field without a tag, as some records give it), not those of an embedded 700
 * (the series' author); in the standard-subfields form $t, $h and $i, where $a is the author.
 */
function linkedSeriesTitle(field: DataField): string | null {
  if (field.subfields.some((s) => s.code === '1')) {
    let embedded = '';
    const parts: string[] = [];
    for (const { code, value } of field.subfields) {
      if (code === '1') embedded = value.slice(0, 3);
      else if ('ahi'.includes(code) && (embedded === '200' || !/^\d{3}$/.test(embedded))) parts.push(value);
    }
    return clean(parts.join(' '));
  }
  return sub(field, 't') === null ? clean(sub(field, 'a')) : clean(subs(field, 'thi').join(' '));
}

/**
 * Series without volume numbers ($v): each 225 statement ($a with the number and name of a part,
 * $h and $i, and its parallel titles, $d, apart), then each 410 link, each series once.
 */
function seriesOf(view: MarcView): string[] {
  return distinctSeries([
    ...view
      .fields('225')
      .flatMap((f) => [{ text: clean(subs(f, 'ahi').join(' ')) }, ...subs(f, 'd').map((d) => ({ text: clean(d) }))]),
    ...view.fields('410').map((f) => ({ text: linkedSeriesTitle(f) })),
  ]);
}

/** Derives the catalogue's fields from a UNIMARC (or RUSMARC) bibliographic record. */
export function normalizeUnimarc(record: MarcRecord): NormalizedRecord {
  const view = new MarcView(record);
  const f200 = view.first('200');
  const title = joinClean(subs(f200, 'a'), ' ; ') ?? '';
  const f100 = sub(view.first('100'), 'a') ?? '';
  const publication = view.first('214') ?? view.first('210');
  const dateText = clean(sub(publication, 'd'));
  const date1 = f100.slice(9, 13);
  const isbnRaw = view.fields('010').flatMap((f) => subs(f, 'a'));
  const normalized: NormalizedRecord = {
    title,
    sortTitle: truncated(title, MAX_TITLE_KEY),
    subtitle: joinClean(subs(f200, 'e'), ' : '),
    responsibility: joinClean(subs(f200, 'fg'), ' ; '),
    altTitles: unique(
      view
        .fields('500', '510', '517', '532')
        .map((f) => clean(sub(f, 'a')))
        .filter((v): v is string => !!v),
    ),
    authors: authorsOf(view),
    subjects: view.fields(...Object.keys(SUBJECT_KIND)).flatMap((field) => {
      const heading = clean(
        field.subfields
          .filter((s) => /[abjxyz]/.test(s.code))
          .map((s) => clean(s.value))
          .filter(Boolean)
          .join(' -- '),
      );
      return heading ? [{ heading, kind: SUBJECT_KIND[field.tag] ?? 'topic', vocabulary: clean(sub(field, '2')) }] : [];
    }),
    isbns: unique(isbnRaw.map(normalizeIsbn).filter((v): v is string => v !== null)),
    invalidIsbns: unique(
      [...isbnRaw.filter((r) => normalizeIsbn(r) === null), ...view.fields('010').flatMap((f) => subs(f, 'z'))]
        .map(isbnDigits)
        .filter((v): v is string => v !== null),
    ),
    issns: unique(
      view
        .fields('011')
        .flatMap((f) => subs(f, 'a'))
        .map(normalizeIssn)
        .filter((v): v is string => v !== null),
    ),
    lccn: null,
    oclcNumbers: [],
    languages: unique(
      view
        .fields('101')
        .flatMap((f) => subs(f, 'a'))
        .map((c) => c.trim().toLowerCase())
        .filter((c) => /^[a-z]{3}$/.test(c)),
    ),
    year:
      /^\d{4}$/.test(date1) && date1 !== '9999'
        ? Number(date1)
        : dateText?.match(/\b(1[0-9]{3}|20[0-9]{2})\b/)
          ? Number(dateText.match(/\b(1[0-9]{3}|20[0-9]{2})\b/)![1])
          : null,
    dateText,
    publisher: clean(sub(publication, 'c')),
    place: clean(sub(publication, 'a')),
    edition: clean(sub(view.first('205'), 'a')),
    series: seriesOf(view),
    extent: joinClean(subs(view.first('215'), 'acd'), ' ; '),
    materialType: unimarcMaterialType({ leader: record.leader, f007: null, f008: null, gmd: sub(f200, 'b') }),
    classification: {
      ddc: view.fields('676').flatMap((f) => subs(f, 'a')),
      udc: view.fields('675').flatMap((f) => subs(f, 'a')),
      lcc: view
        .fields('680')
        .map((f) => joinClean(subs(f, 'ab')))
        .filter((v): v is string => !!v),
      bbk: view
        .fields('686')
        .filter((f) => /bbk/i.test(sub(f, '2') ?? ''))
        .flatMap((f) => subs(f, 'a')),
    },
    summary: joinClean(view.fields('330').flatMap((f) => subs(f, 'a'))),
    notes: view
      .fields('300', '320', '327')
      .map((f) => joinClean(subs(f, 'a')))
      .filter((v): v is string => !!v),
    links: linksOf(view),
  };
  const seriesIssns = seriesIssnsOf(view.fields('225', '410'), normalized.issns);
  if (seriesIssns.length) normalized.seriesIssns = seriesIssns;
  return normalized;
}

/** Normalizes a record of either flavour. */
export function normalizeRecord(record: MarcRecord, flavour: MarcFlavour): NormalizedRecord {
  return flavour === 'unimarc' ? normalizeUnimarc(record) : normalizeMarc21(record);
}
