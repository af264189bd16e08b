import type { MaterialType, NormalizedRecord } from '@athenaeum/contracts';

/** A library's copies of one record, for `offers`. */
export interface LibraryAvailability {
  libraryId: string;
  name: string;
  /** Copies on the shelf now. */
  available: number;
  total: number;
}

// schema.org types by material: Book where the thing is a book in any form, else the closest
// CreativeWork subtype, else CreativeWork itself.
const TYPES: Record<MaterialType, string> = {
  book: 'Book',
  ebook: 'Book',
  audiobook: 'Book',
  serial: 'Periodical',
  article: 'ScholarlyArticle',
  map: 'Map',
  score: 'MusicComposition',
  sound: 'MusicRecording',
  music: 'MusicRecording',
  video: 'Movie',
  image: 'VisualArtwork',
  software: 'SoftwareApplication',
  manuscript: 'Manuscript',
  kit: 'CreativeWork',
  mixed: 'CreativeWork',
  object: 'CreativeWork',
  other: 'CreativeWork',
};
const BOOK_FORMAT: Partial<Record<MaterialType, string>> = {
  book: 'https://schema.org/Hardcover',
  ebook: 'https://schema.org/EBook',
  audiobook: 'https://schema.org/AudiobookFormat',
};

/** ISO 639-2/B codes to the BCP 47 tags schema.org's inLanguage expects, for the common ones. */
const BCP47: Record<string, string> = {
  eng: 'en',
  fre: 'fr',
  fra: 'fr',
  ger: 'de',
  deu: 'de',
  spa: 'es',
  por: 'pt',
  rus: 'ru',
  chi: 'zh',
  zho: 'zh',
  jpn: 'ja',
  kor: 'ko',
  ara: 'ar',
  hin: 'hi',
  ita: 'it',
  dut: 'nl',
  nld: 'nl',
  pol: 'pl',
  ukr: 'uk',
  heb: 'he',
  gre: 'el',
  ell: 'el',
  lat: 'la',
  swe: 'sv',
  dan: 'da',
  nor: 'no',
  fin: 'fi',
  cze: 'cs',
  ces: 'cs',
  tur: 'tr',
  per: 'fa',
  fas: 'fa',
  nep: 'ne',
  hun: 'hu',
  rum: 'ro',
  ron: 'ro',
  bul: 'bg',
  srp: 'sr',
  hrv: 'hr',
  tha: 'th',
  vie: 'vi',
};

/** A MARC language code (ISO 639-2/B) as the BCP 47 tag schema.org's inLanguage expects. */
export function bcp47(code: string): string {
  return BCP47[code] ?? code;
}

const personOrOrg = (a: NormalizedRecord['authors'][number]) => ({
  '@type': a.kind === 'person' ? 'Person' : 'Organization',
  name: a.name.replace(/[,.]\s*$/, ''),
});

/**
 * A schema.org description of a record as JSON-LD: Book or another CreativeWork by material
 * type, with authors, ISBNs, languages, date, publisher, and — when holdings are given — one
 * Offer per library with its availability (lending, so no price).
 */
export function schemaOrgRecord(
  record: { id: string; fields: NormalizedRecord; url?: string | null },
  holdings?: LibraryAvailability[],
): Record<string, unknown> {
  const f = record.fields;
  const type = TYPES[f.materialType];
  const authors = f.authors.filter(
    (a) => a.main || !a.roles.some((r) => /^(edt|editor|trl|translator|ill|illustrator)$/i.test(r)),
  );
  const contributors = f.authors.filter((a) => !authors.includes(a));
  const doc: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': type,
    '@id': record.url ?? `urn:uuid:${record.id}`,
    name: f.subtitle ? `${f.title}: ${f.subtitle}` : f.title,
  };
  if (record.url) doc.url = record.url;
  if (f.altTitles.length) doc.alternateName = f.altTitles;
  if (authors.length) doc.author = authors.map(personOrOrg);
  if (contributors.length) doc.contributor = contributors.map(personOrOrg);
  if (type === 'Book') {
    if (f.isbns.length) doc.isbn = f.isbns.length === 1 ? f.isbns[0] : f.isbns;
    if (BOOK_FORMAT[f.materialType]) doc.bookFormat = BOOK_FORMAT[f.materialType];
    if (f.edition) doc.bookEdition = f.edition;
    if (f.extent && /\d+\s*(p|pages|с|стр)\b/i.test(f.extent))
      doc.numberOfPages = Number(/(\d+)\s*(?:p|pages|с|стр)\b/i.exec(f.extent)![1]);
  } else if (f.isbns.length) {
    doc.identifier = f.isbns.map((value) => ({ '@type': 'PropertyValue', propertyID: 'ISBN', value }));
  }
  if (f.issns.length) doc.issn = f.issns.length === 1 ? f.issns[0] : f.issns;
  const languages = f.languages.map(bcp47);
  if (languages.length) doc.inLanguage = languages.length === 1 ? languages[0] : languages;
  if (f.year !== null) doc.datePublished = String(f.year);
  if (f.publisher) {
    doc.publisher = { '@type': 'Organization', name: f.publisher, ...(f.place ? { location: f.place } : {}) };
  }
  if (f.subjects.length) doc.about = f.subjects.map((s) => ({ '@type': 'Thing', name: s.heading }));
  if (f.subjects.length) doc.keywords = f.subjects.map((s) => s.heading).join(', ');
  if (f.summary) doc.description = f.summary;
  if (f.series.length) doc.isPartOf = f.series.map((name) => ({ '@type': 'CreativeWorkSeries', name }));
  const cover = f.links.find((l) => l.kind === 'cover');
  if (cover) doc.image = cover.url;
  const sameAs = [
    ...f.links.filter((l) => l.kind === 'resource').map((l) => l.url),
    ...(f.lccn ? [`https://lccn.loc.gov/${f.lccn.replace(/\s+/g, '')}`] : []),
  ];
  if (sameAs.length) doc.sameAs = sameAs;
  if (holdings?.length) {
    doc.offers = holdings.map((h) => ({
      '@type': 'Offer',
      offeredBy: { '@type': 'Library', '@id': `urn:uuid:${h.libraryId}`, name: h.name },
      businessFunction: 'http://purl.org/goodrelations/v1#LeaseOut',
      availability:
        h.available > 0
          ? 'https://schema.org/InStock'
          : h.total > 0
            ? 'https://schema.org/OutOfStock'
            : 'https://schema.org/Discontinued',
      inventoryLevel: { '@type': 'QuantitativeValue', value: h.available },
      ...(record.url ? { url: record.url } : {}),
    }));
  }
  return doc;
}
