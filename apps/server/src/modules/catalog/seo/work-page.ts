import type { NormalizedRecord, WorkView } from '@athenaeum/contracts';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import { getOrganization } from '../../accounts/index.js';
import { CatalogErrors } from '../catalog.errors.js';
import { schemaOrgRecord } from '../export/json-ld.js';
import { languageTags } from '../export/language-tags.js';
import { lookUpWork } from '../works.service.js';

/** What a work's page tells search engines before any script runs. */
export interface PageHead {
  title: string;
  description: string;
  canonical: string;
  jsonLd?: Record<string, unknown>;
  /** A page that is not (or no longer) there asks not to be indexed. */
  noindex?: boolean;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON for a `<script type="application/ld+json">` block: no `<`, `>` or `&` survives (so record
 * data cannot close the script or open a comment), nor the line separators old parsers reject.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

/** Puts the head's title, description, canonical link and JSON-LD into the web app's index.html. */
export function injectHead(template: string, head: PageHead): string {
  const tags = [
    `<meta name="description" content="${escapeHtml(head.description)}" />`,
    `<link rel="canonical" href="${escapeHtml(head.canonical)}" />`,
    ...(head.noindex ? ['<meta name="robots" content="noindex" />'] : []),
    ...(head.jsonLd ? [`<script type="application/ld+json">${jsonForScript(head.jsonLd)}</script>`] : []),
  ];
  const title = `<title>${escapeHtml(head.title)}</title>`;
  let html = template.replace(/<meta\s+name=["']description["'][^>]*>\s*/i, '');
  html = /<title>[\s\S]*?<\/title>/i.test(html)
    ? html.replace(/<title>[\s\S]*?<\/title>/i, () => title)
    : html.replace(/<\/head>/i, () => `${title}\n</head>`);
  return html.replace(/<\/head>/i, () => `    ${tags.join('\n    ')}\n  </head>`);
}

const nameOf = (names: Record<string, string>, fallback: string) => names.en ?? Object.values(names)[0] ?? fallback;

async function libraryNames(ctx: AppContext, ids: string[]): Promise<Map<string, string>> {
  const entries = await Promise.all(
    ids.map(async (id) => {
      const org = await getOrganization(ctx, id).catch(() => null);
      return [id, org ? nameOf(org.names, org.code) : id] as const;
    }),
  );
  return new Map(entries);
}

const unique = <T>(items: T[]) => [...new Set(items)];

function describe(work: WorkView, libraries: Map<string, string>): string {
  const first = work.records[0]?.fields;
  const years =
    work.yearMin === null
      ? ''
      : work.yearMax !== null && work.yearMax !== work.yearMin
        ? `${work.yearMin}–${work.yearMax}`
        : String(work.yearMin);
  const editions = work.records.length === 1 ? '1 edition' : `${work.records.length} editions`;
  const held = work.libraryIds.map((id) => libraries.get(id) ?? id);
  const parts = [
    [work.title, work.author ? `by ${work.author.replace(/[,;:]\s*$/, '')}` : null, years ? `(${years})` : null]
      .filter(Boolean)
      .join(' '),
    `${editions}, held by ${held.length === 1 ? held[0] : `${held.length} libraries: ${held.join(', ')}`}.`,
    work.availableLibraryIds.length
      ? `Available now at ${work.availableLibraryIds.length === 1 ? '1 library' : `${work.availableLibraryIds.length} libraries`}.`
      : 'Not available now.',
    first?.summary ?? null,
  ];
  return clip(parts.filter(Boolean).join('. ').replace(/\.\./g, '.'), 300);
}

/**
 * schema.org JSON-LD for a work: its newest edition described as Book (or the closest
 * CreativeWork), with the ISBNs and languages of every edition, the first year it was published,
 * and one Offer per library holding it, InStock when a copy is on the shelf now.
 */
export function workJsonLd(
  work: WorkView,
  url: string,
  libraries: Map<string, string>,
  baseUrl: string,
): Record<string, unknown> {
  const lead = work.records[0]!;
  const doc = schemaOrgRecord({ id: work.id, fields: lead.fields, url });
  // The page describes the work, whose page this is: its @id (a record's is its own UUID).
  doc['@id'] = url;
  const all = work.records.map((r) => r.fields);
  const isbns = unique(all.flatMap((f) => f.isbns));
  if (isbns.length && doc['@type'] === 'Book') doc.isbn = isbns.length === 1 ? isbns[0] : isbns;
  const languages = languageTags(all.flatMap((f) => f.languages));
  if (languages.length) doc.inLanguage = languages.length === 1 ? languages[0] : languages;
  if (work.yearMin !== null) doc.datePublished = String(work.yearMin);
  if (all.length > 1) {
    doc.workExample = all.map((f: NormalizedRecord) => ({
      '@type': doc['@type'],
      name: f.title,
      ...(f.isbns.length ? { isbn: f.isbns[0] } : {}),
      ...(f.year !== null ? { datePublished: String(f.year) } : {}),
      ...(f.edition ? { bookEdition: f.edition } : {}),
      ...(f.publisher ? { publisher: { '@type': 'Organization', name: f.publisher } } : {}),
    }));
  }
  const copies = new Map<string, { total: number; available: number }>();
  for (const id of work.libraryIds) copies.set(id, { total: 0, available: 0 });
  for (const record of work.records) {
    for (const item of record.holdings) {
      const entry = copies.get(item.libraryId) ?? { total: 0, available: 0 };
      entry.total++;
      if (item.status === 'available') entry.available++;
      copies.set(item.libraryId, entry);
    }
  }
  doc.offers = [...copies].map(([libraryId, c]) => ({
    '@type': 'Offer',
    url,
    businessFunction: 'http://purl.org/goodrelations/v1#LeaseOut',
    availability:
      c.available > 0 || (c.total === 0 && work.availableLibraryIds.includes(libraryId))
        ? 'https://schema.org/InStock'
        : 'https://schema.org/OutOfStock',
    inventoryLevel: { '@type': 'QuantitativeValue', value: c.available },
    offeredBy: {
      '@type': 'Library',
      '@id': `${baseUrl}/organizations/${libraryId}`,
      name: libraries.get(libraryId) ?? libraryId,
    },
  }));
  return doc;
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/**
 * The web app's page for `/works/:id` with the work's title, description, canonical address and
 * JSON-LD in its head; a work that does not exist gets the page with status 404 and `noindex`
 * (the app then shows its own "not found"); a work that is no more because its records joined
 * another (a merge, a re-clustering) sends the address of that one (`location`, for a 301).
 */
export async function renderWorkPage(
  ctx: AppContext,
  input: { template: string; workId: string; baseUrl: string; siteName?: string },
): Promise<{ status: 200 | 404; html: string } | { status: 301; location: string }> {
  const site = input.siteName ?? 'Athenaeum';
  const canonical = `${input.baseUrl}/works/${encodeURIComponent(input.workId)}`;
  let work: WorkView | null = null;
  if (isUuid(input.workId)) {
    const found = await lookUpWork(ctx, input.workId.toLowerCase()).catch((error: unknown) => {
      if (error instanceof AppError && error.code === CatalogErrors.CATALOG_WORK_NOT_FOUND) return null;
      throw error;
    });
    if (found && 'movedTo' in found) return { status: 301, location: `${input.baseUrl}/works/${found.movedTo}` };
    work = found?.work ?? null;
  }
  if (!work || work.records.length === 0) {
    return {
      status: 404,
      html: injectHead(input.template, {
        title: `Not found — ${site}`,
        description: 'There is no such work in the catalogue.',
        canonical,
        noindex: true,
      }),
    };
  }
  const libraries = await libraryNames(ctx, unique([...work.libraryIds, ...work.records.map((r) => r.libraryId)]));
  const url = `${input.baseUrl}/works/${work.id}`;
  const author = work.author ? ` — ${work.author.replace(/[,;:]\s*$/, '')}` : '';
  return {
    status: 200,
    html: injectHead(input.template, {
      title: clip(`${work.title}${author} — ${site}`, 200),
      description: describe(work, libraries),
      canonical: url,
      jsonLd: workJsonLd(work, url, libraries, input.baseUrl),
    }),
  };
}
