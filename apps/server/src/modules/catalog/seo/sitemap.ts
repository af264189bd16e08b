import type { AppContext } from '../../../platform/context/context.js';
import { catalogDb } from '../catalog.repository.js';
import { countWorkPages, workPages } from '../seo.repository.js';

/** The most URLs one sitemap file may list (sitemaps.org). */
export const SITEMAP_MAX_URLS = 50_000;

const xmlEscape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/**
 * `/sitemap.xml`: every work page with its last change. Up to `perFile` works it is one `urlset`;
 * beyond, it is a `sitemapindex` of `/sitemap.xml?page=N`, each page a `urlset` of `perFile` works.
 * Returns null for a page past the end.
 */
export async function sitemapXml(
  ctx: AppContext,
  input: { baseUrl: string; page?: number | undefined; perFile?: number },
): Promise<string | null> {
  const db = catalogDb(ctx.db);
  const perFile = input.perFile ?? SITEMAP_MAX_URLS;
  const total = await countWorkPages(db);
  const pages = Math.max(1, Math.ceil(total / perFile));
  if (input.page === undefined && pages > 1) {
    const now = ctx.clock.now().toISOString();
    const entries = Array.from(
      { length: pages },
      (_, i) =>
        `  <sitemap><loc>${xmlEscape(`${input.baseUrl}/sitemap.xml?page=${i + 1}`)}</loc><lastmod>${now}</lastmod></sitemap>`,
    );
    return `${HEAD}<sitemapindex xmlns="${NS}">\n${entries.join('\n')}\n</sitemapindex>\n`;
  }
  const page = input.page ?? 1;
  if (page > pages) return null;
  const rows = await workPages(db, (page - 1) * perFile, perFile);
  const urls = rows.map(
    (r) =>
      `  <url><loc>${xmlEscape(`${input.baseUrl}/works/${r.id}`)}</loc><lastmod>${new Date(r.updated_at).toISOString()}</lastmod></url>`,
  );
  return `${HEAD}<urlset xmlns="${NS}">\n${urls.join('\n')}${urls.length ? '\n' : ''}</urlset>\n`;
}

/**
 * `/robots.txt`: the catalogue is for everyone to find; accounts, administration and the API are
 * not pages (but the catalogue's and the directory's API stay open: crawlers that render the app
 * fetch them).
 */
export function robotsTxt(baseUrl: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    'Disallow: /api/',
    'Allow: /api/v1/catalog/',
    'Allow: /api/v1/organizations',
    'Disallow: /account',
    'Disallow: /admin/',
    'Disallow: /sign-in',
    'Disallow: /sign-out',
    '',
    `Sitemap: ${baseUrl}/sitemap.xml`,
    '',
  ].join('\n');
}
