import { CatalogSearchQuery, CatalogSearchResult, WorkView } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../platform/context/context.js';
import type { FastifyZodInstance } from '../../platform/http/types.js';
import { catalogPolicy as policy } from './catalog.policy.js';
import { searchCatalog } from './search/search.service.js';
import { lookUpWork } from './works.service.js';

/** The union catalogue under /api/v1/catalog. */
export async function catalogRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/catalog/search',
    {
      config: { access: policy.searchCatalog },
      schema: {
        tags: ['catalog'],
        summary: 'Search the union catalogue (one hit per work, with facets)',
        querystring: CatalogSearchQuery,
        response: { 200: CatalogSearchResult },
      },
    },
    async (request) => searchCatalog(ctx, request.query),
  );

  app.get(
    '/catalog/works/:id',
    {
      config: { access: policy.searchCatalog },
      schema: {
        tags: ['catalog'],
        summary: 'A work with its editions and holdings',
        description:
          'A work that is no more because its records joined another work (merged by staff, or clustered ' +
          'elsewhere by a re-import) answers 301 Moved Permanently, `Location` the address of that work ' +
          '(`/api/v1/catalog/works/{id}`, query string kept): a client that follows redirects gets the work ' +
          'it is now part of, with that id. The redirect lasts until the merge is undone. An id that never ' +
          'was a work, or whose records were all deleted, is 404 CATALOG_WORK_NOT_FOUND.',
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: WorkView },
      },
    },
    async (request, reply) => {
      const found = await lookUpWork(ctx, request.params.id);
      if ('work' in found) return found.work;
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const location = `${request.routeOptions.url!.replace(':id', found.movedTo)}${query}`;
      // Not kept by browsers: an undone merge brings the work back.
      return reply.header('cache-control', 'no-cache').redirect(location, 301);
    },
  );
}
