import type { MaterialType, NormalizedRecord } from '@athenaeum/contracts';
import { languageTags } from './language-tags.js';

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
// Only the formats the record states: a printed book may be hardcover or paperback, which the
// material type does not tell, so it has no bookFormat.
const BOOK_FORMAT: Partial<Record<MaterialType, string>> = {
  ebook: 'https://schema.org/EBook',
  audiobook: 'https://schema.org/AudiobookFormat',
};

// The page count of a 300 $a extent: "xii, 320 p.", "320 pages", "320 с." or "320 стр.".
// The boundary after the unit is Unicode-aware: \b only knows ASCII letters, so "с" and "стр"
// never ended a word for it, while "(?![\p{L}\p{N}])" keeps "320 pl." or "320 страниц" out.
const PAGES = /(\d+)\s*(?:p|pp|pages|с|стр)(?![\p{L}\p{N}])/iu;

/** The number of pages an extent states, or null. */
export function numberOfPages(extent: string | null): number | null {
  const m = extent ? PAGES.exec(extent) : null;
  return m ? Number(m[1]) : null;
}

const personOrOrg = (a: NormalizedRecord['authors'][number]) => ({
  '@type': a.kind === 'person' ? 'Person' : 'Organization',
  name: a.name.replace(/[,.]\s*$/, ''),
});

/**
 * A schema.org description of a record as JSON-LD: Book or another CreativeWork by material
 * type, with authors, ISBNs, languages, date, publisher, and — when holdings are given — one
 * Offer per library with its availability (lending, so no price). `id` (a UUID) identifies the
 * node; `url` is the page people open for it.
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
    // The record's own identity: `url` is its work's page, which every edition of the work (and
    // every library's copy of a record) shares, and a shared @id would make a JSON-LD processor
    // merge them into one node.
    '@id': `urn:uuid:${record.id}`,
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
    const pages = numberOfPages(f.extent);
    if (pages !== null) doc.numberOfPages = pages;
  } else if (f.isbns.length) {
    doc.identifier = f.isbns.map((value) => ({ '@type': 'PropertyValue', propertyID: 'ISBN', value }));
  }
  if (f.issns.length) doc.issn = f.issns.length === 1 ? f.issns[0] : f.issns;
  const languages = languageTags(f.languages);
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
