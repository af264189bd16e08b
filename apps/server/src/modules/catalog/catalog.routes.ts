import { CatalogSearchQuery, CatalogSearchResult, WorkView } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../platform/context/context.js';
import type { FastifyZodInstance } from '../../platform/http/types.js';
import { catalogPolicy as policy } from './catalog.policy.js';
import { searchCatalog } from './search/search.service.js';
import { getWork } from './works.service.js';

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
        params: z.strictObject({ id: z.uuid() }),
        response: { 200: WorkView },
      },
    },
    async (request) => getWork(ctx, request.params.id),
  );
}
