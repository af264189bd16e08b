import {
  CopyImportInput,
  CopyImportResult,
  CopySearchQuery,
  CopySearchResult,
  CopyTarget,
  CopyTargetInput,
} from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { interopPolicy as policy } from '../interop.policy.js';
import {
  createCopyTarget,
  deleteCopyTarget,
  importFromCopyTarget,
  listCopyTargets,
  searchCopyTarget,
  updateCopyTarget,
} from './copy.service.js';

const LibraryParams = z.strictObject({ id: z.uuid().describe('the library') });
const TargetParams = z.strictObject({ id: z.uuid().describe('the library'), targetId: z.uuid() });
const base = '/organizations/:id/copy-targets';

// Each search or import makes this server call a remote one: a per-person limit keeps the
// server from being used to flood another.
const remoteRateLimit = {
  max: 60,
  timeWindow: '1 minute',
  hook: 'preHandler' as const,
  keyGenerator: (request: { principal?: { personId?: string | null } | null; ip: string }) =>
    request.principal?.personId ?? request.ip,
};

/** Copy cataloguing from remote SRU servers, under /api/v1/organizations/:id/copy-targets. */
export async function copyTargetRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  const access = policy.copyCatalogue;

  app.get(
    base,
    {
      config: { access },
      schema: {
        tags: ['interop'],
        summary: "The library's copy-cataloguing targets (remote SRU servers)",
        params: LibraryParams,
        response: { 200: z.object({ items: z.array(CopyTarget) }) },
      },
    },
    async (request) => ({ items: await listCopyTargets(ctx, request.params.id) }),
  );

  app.post(
    base,
    {
      config: { access },
      schema: {
        tags: ['interop'],
        summary: 'Add a target: a name, the SRU base URL, the SRU version (1.2 or 2.0); records come as MARCXML',
        params: LibraryParams,
        body: CopyTargetInput,
        response: { 201: CopyTarget },
      },
    },
    async (request, reply) => reply.status(201).send(await createCopyTarget(ctx, request.params.id, request.body)),
  );

  app.put(
    `${base}/:targetId`,
    {
      config: { access },
      schema: {
        tags: ['interop'],
        summary: 'Change a target',
        params: TargetParams,
        body: CopyTargetInput,
        response: { 200: CopyTarget },
      },
    },
    async (request) => updateCopyTarget(ctx, request.params.id, request.params.targetId, request.body),
  );

  app.delete(
    `${base}/:targetId`,
    { config: { access }, schema: { tags: ['interop'], summary: 'Remove a target', params: TargetParams } },
    async (request, reply) => {
      await deleteCopyTarget(ctx, request.params.id, request.params.targetId);
      return reply.status(204).send();
    },
  );

  app.get(
    `${base}/:targetId/search`,
    {
      config: { access, rateLimit: remoteRateLimit },
      schema: {
        tags: ['interop'],
        summary: 'Search a target (CQL, or plain words): title, authors, date, ISBN and the MARC of each record',
        description:
          'Remote failures answer INTEROP_REMOTE_TIMEOUT (504), INTEROP_REMOTE_HTTP_ERROR, INTEROP_REMOTE_UNREACHABLE, INTEROP_REMOTE_BAD_RESPONSE, INTEROP_REMOTE_TOO_LARGE (502) or INTEROP_REMOTE_DIAGNOSTIC (422, with the SRU diagnostic).',
        params: TargetParams,
        querystring: CopySearchQuery,
        response: { 200: CopySearchResult },
      },
    },
    async (request) => searchCopyTarget(ctx, request.params.id, request.params.targetId, request.query),
  );

  app.post(
    `${base}/:targetId/import`,
    {
      config: { access, rateLimit: remoteRateLimit },
      schema: {
        tags: ['interop'],
        summary: "Import the record at a position of a search into the library's catalogue (matched and clustered)",
        params: TargetParams,
        body: CopyImportInput,
        response: { 200: CopyImportResult },
      },
    },
    async (request) => importFromCopyTarget(ctx, request.params.id, request.params.targetId, request.body),
  );
}
