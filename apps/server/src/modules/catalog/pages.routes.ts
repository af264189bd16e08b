import fsp from 'node:fs/promises';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context/context.js';
import { PlatformErrors } from '../../platform/errors.js';
import { sendProblem } from '../../platform/http/problem.js';
import type { FastifyZodInstance } from '../../platform/http/types.js';
import { catalogPolicy as policy } from './catalog.policy.js';
import { robotsTxt, sitemapXml } from './seo/sitemap.js';
import { renderWorkPage } from './seo/work-page.js';

/** The address pages are known by: PUBLIC_URL when set, else the address the request came to. */
function baseUrl(ctx: AppContext, request: FastifyRequest): string {
  return (ctx.config.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
}

/**
 * Caching of what is made from baseUrl (work pages and their redirects, the sitemap, robots.txt),
 * kept for `lifetime`: shared caches may keep it when the address is PUBLIC_URL; made from the
 * request's own host (Host, or X-Forwarded-Host and -Proto behind a trusted proxy), it is private
 * to the asker and varies by those headers, so that a forged host cannot put its links into a
 * shared cache for everyone.
 */
function cachingOf(ctx: AppContext, lifetime: string): Record<string, string> {
  return ctx.config.publicUrl
    ? { 'cache-control': `public, ${lifetime}` }
    : { 'cache-control': `private, ${lifetime}`, vary: 'Host, X-Forwarded-Host, X-Forwarded-Proto' };
}

const HOUR = 'max-age=3600';
// Work pages are asked about every time: a merge or its undoing changes where they lead.
const EVERY_TIME = 'no-cache';

/** The query string of a request's address, with its `?`, or ''. */
const queryOf = (url: string) => (url.includes('?') ? url.slice(url.indexOf('?')) : '');

/**
 * The catalogue's pages for search engines: `/works/:id` as the web app's index.html with the
 * work's head filled in (when the web app is served; 301 to the work a former work's records
 * joined, query string kept), `/sitemap.xml` and `/robots.txt`.
 */
export async function catalogPageRoutes(
  app: FastifyZodInstance,
  ctx: AppContext,
  options: { indexHtml: string | null },
): Promise<void> {
  const { indexHtml } = options;
  if (indexHtml) {
    app.get(
      '/works/:id',
      {
        config: { access: policy.searchCatalog },
        schema: { hide: true, params: z.object({ id: z.string().max(200) }) },
      },
      async (request, reply) => {
        // Read per request: a rebuilt web app is served without a restart, as the static files are.
        const template = await fsp.readFile(indexHtml, 'utf8');
        const page = await renderWorkPage(ctx, { template, workId: request.params.id, baseUrl: baseUrl(ctx, request) });
        if (page.status === 301) {
          // Permanent for search engines; not kept by browsers, since an undone merge brings the work back.
          return reply.headers(cachingOf(ctx, EVERY_TIME)).redirect(page.location + queryOf(request.url), 301);
        }
        return reply
          .status(page.status)
          .type('text/html; charset=utf-8')
          .headers(cachingOf(ctx, EVERY_TIME))
          .send(page.html);
      },
    );
  }

  app.get(
    '/sitemap.xml',
    {
      config: { access: policy.searchCatalog },
      schema: {
        tags: ['catalog'],
        summary: 'Every work page; a sitemap index of ?page=N files past 50,000 works',
        querystring: z.strictObject({ page: z.coerce.number().int().min(1).optional() }),
      },
    },
    async (request, reply) => {
      const xml = await sitemapXml(ctx, { baseUrl: baseUrl(ctx, request), page: request.query.page });
      if (xml === null)
        return sendProblem(request, reply, PlatformErrors.NOT_FOUND, `The sitemap has no page ${request.query.page}.`);
      return reply.type('application/xml; charset=utf-8').headers(cachingOf(ctx, HOUR)).send(xml);
    },
  );

  app.get('/robots.txt', { config: { access: policy.searchCatalog }, schema: { hide: true } }, async (request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .headers(cachingOf(ctx, HOUR))
      .send(robotsTxt(baseUrl(ctx, request))),
  );
}
