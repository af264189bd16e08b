import { HarvestSource, HarvestSourceInput } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { interopPolicy as policy } from '../interop.policy.js';
import {
  createHarvestSource,
  deleteHarvestSource,
  getHarvestSource,
  harvestSourceNow,
  listHarvestSources,
  updateHarvestSource,
} from './sources.service.js';

const LibraryParams = z.strictObject({ id: z.uuid().describe('the library') });
const SourceParams = z.strictObject({ id: z.uuid().describe('the library'), sourceId: z.uuid() });
const base = '/organizations/:id/harvest-sources';

/** A library's OAI-PMH harvest sources, under /api/v1/organizations/:id/harvest-sources. */
export async function harvestSourceRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  const access = policy.manageHarvestSources;

  app.get(
    base,
    {
      config: { access },
      schema: {
        tags: ['interop'],
        summary: "The library's harvest sources with schedule and status (last run, datestamp, counts, error)",
        params: LibraryParams,
        response: { 200: z.object({ items: z.array(HarvestSource) }) },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send({ items: await listHarvestSources(ctx, request.params.id) }),
  );

  app.post(
    base,
    {
      config: { access },
      schema: {
        tags: ['interop'],
        summary: 'Add a harvest source: an OAI-PMH base URL, metadata prefix, set and schedule',
        params: LibraryParams,
        body: HarvestSourceInput,
        response: { 201: HarvestSource },
      },
    },
    async (request, reply) => {
      const created = await createHarvestSource(ctx, request.params.id, request.body);
      return reply
        .status(201)
        .header('location', `/api/v1/organizations/${created.libraryId}/harvest-sources/${created.id}`)
        .send(created);
    },
  );

  app.get(
    `${base}/:sourceId`,
    {
      config: { access },
      schema: {
        tags: ['interop'],
        summary: 'One harvest source with its live status',
        params: SourceParams,
        response: { 200: HarvestSource },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send(await getHarvestSource(ctx, request.params.id, request.params.sourceId)),
  );

  app.put(
    `${base}/:sourceId`,
    {
      config: { access },
      schema: {
        tags: ['interop'],
        summary: "Change a source's settings (another URL, prefix or set harvests from the start)",
        params: SourceParams,
        body: HarvestSourceInput,
        response: { 200: HarvestSource },
      },
    },
    async (request) => updateHarvestSource(ctx, request.params.id, request.params.sourceId, request.body),
  );

  app.delete(
    `${base}/:sourceId`,
    {
      config: { access },
      schema: {
        tags: ['interop'],
        summary: 'Remove a harvest source (records already harvested stay)',
        params: SourceParams,
      },
    },
    async (request, reply) => {
      await deleteHarvestSource(ctx, request.params.id, request.params.sourceId);
      return reply.status(204).send();
    },
  );

  app.post(
    `${base}/:sourceId/harvest`,
    {
      config: { access },
      schema: {
        tags: ['interop'],
        summary: 'Harvest now: the source is queued at once; follow its status',
        params: SourceParams,
        response: { 202: HarvestSource },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await harvestSourceNow(ctx, request.params.id, request.params.sourceId)),
  );
}
