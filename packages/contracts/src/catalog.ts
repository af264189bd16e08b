import { z } from 'zod';

export const MATERIAL_TYPES = [
  'book', 'ebook', 'serial', 'article', 'map', 'score', 'sound', 'music', 'audiobook', 'video', 'image',
  'software', 'kit', 'mixed', 'object', 'manuscript', 'other',
] as const;
export const MaterialType = z.enum(MATERIAL_TYPES);
export type MaterialType = z.infer<typeof MaterialType>;

export const AuthorRole = z.string().describe('relator term or code, e.g. "author", "editor", "ill"');

/** A name from 1XX/7XX (MARC 21) or 70X/71X (UNIMARC), with its 880 alternate-script form. */
export const Author = z.object({
  name: z.string(),
  dates: z.string().nullable(),
  kind: z.enum(['person', 'organization', 'meeting']),
  roles: z.array(AuthorRole),
  main: z.boolean(),
  altScript: z.string().nullable(),
});
export type Author = z.infer<typeof Author>;

export const Subject = z.object({
  heading: z.string(),
  kind: z.enum(['topic', 'person', 'organization', 'meeting', 'title', 'place', 'genre']),
  vocabulary: z.string().nullable(),
});
export type Subject = z.infer<typeof Subject>;

export const Classification = z.object({
  ddc: z.array(z.string()),
  udc: z.array(z.string()),
  lcc: z.array(z.string()),
  bbk: z.array(z.string()),
});
export type Classification = z.infer<typeof Classification>;

export const Link = z.object({ url: z.string(), label: z.string().nullable(), kind: z.enum(['resource', 'cover', 'related']) });
export type Link = z.infer<typeof Link>;

/** What the catalogue derives from a MARC record; the source MARC is kept beside it verbatim. */
export const NormalizedRecord = z.object({
  title: z.string(),
  /** The title without its leading article (MARC 245 ind2), for sorting and matching. */
  sortTitle: z.string(),
  subtitle: z.string().nullable(),
  responsibility: z.string().nullable(),
  altTitles: z.array(z.string()),
  authors: z.array(Author),
  subjects: z.array(Subject),
  isbns: z.array(z.string()).describe('valid ISBNs as ISBN-13'),
  invalidIsbns: z.array(z.string()),
  issns: z.array(z.string()),
  lccn: z.string().nullable(),
  oclcNumbers: z.array(z.string()),
  languages: z.array(z.string()).describe('ISO 639-2/B codes'),
  year: z.number().int().nullable(),
  dateText: z.string().nullable(),
  publisher: z.string().nullable(),
  place: z.string().nullable(),
  edition: z.string().nullable(),
  series: z.array(z.string()),
  extent: z.string().nullable(),
  materialType: MaterialType,
  classification: Classification,
  summary: z.string().nullable(),
  notes: z.array(z.string()),
  links: z.array(Link),
});
export type NormalizedRecord = z.infer<typeof NormalizedRecord>;
