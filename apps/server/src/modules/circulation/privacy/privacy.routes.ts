import { PatronDataExport, PatronDeletion, PatronDeletionRequest, ReadingHistoryChoice } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { circulationPolicy as policy } from '../circulation.policy.js';
import * as privacy from './privacy.service.js';

const tags = ['circulation'];
const PatronParams = z.strictObject({ id: z.uuid().describe('the library'), patronId: z.uuid() });

/** A patron's data download, deletion request and reading-history choice (self-service and staff), under /api/v1. */
export async function privacyRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/me/patron-data',
    {
      config: { access: policy.ownPatronData },
      schema: {
        tags,
        summary: 'Download all data the libraries hold about me as a patron',
        querystring: z.strictObject({ library: z.uuid().optional().describe('only this library') }),
        response: { 200: PatronDataExport },
      },
    },
    async (request, reply) => {
      reply.header('content-disposition', 'attachment; filename="patron-data.json"');
      return privacy.myPatronData(ctx, request.principal!.personId, request.query.library);
    },
  );
  app.post(
    '/me/patron-data/deletion',
    {
      config: { access: policy.ownPatronData },
      schema: {
        tags,
        summary: 'Ask for my patron record at a library to be deleted (refused while loans are open)',
        body: PatronDeletionRequest,
        response: { 200: PatronDeletion },
      },
    },
    async (request) => {
      const personId = request.principal!.personId;
      const patron = await privacy.ownPatron(ctx, personId, request.body.patronId);
      return privacy.deletePatronData(ctx, patron.organization_id, patron.id, { personId, as: 'patron' });
    },
  );
  app.put(
    '/me/patrons/:patronId/reading-history',
    {
      config: { access: policy.ownPatronData },
      schema: {
        tags,
        summary: 'Keep my reading history (ended loans) or not; turning it off forgets the history kept',
        params: z.strictObject({ patronId: z.uuid() }),
        body: ReadingHistoryChoice,
        response: { 200: z.object({ keepHistory: z.boolean(), historyLoansUnlinked: z.number().int() }) },
      },
    },
    async (request) => {
      const patron = await privacy.ownPatron(ctx, request.principal!.personId, request.params.patronId);
      return privacy.setReadingHistory(ctx, patron, request.body.keepHistory);
    },
  );
  app.get(
    '/organizations/:id/patrons/:patronId/data',
    {
      config: { access: policy.patronData },
      schema: {
        tags,
        summary: "All data the library holds about one of its patrons (the patron's right of access)",
        params: PatronParams,
        response: { 200: PatronDataExport },
      },
    },
    async (request) => privacy.patronDataForStaff(ctx, request.params.id, request.params.patronId),
  );
  app.post(
    '/organizations/:id/patrons/:patronId/deletion',
    {
      config: { access: policy.patronData },
      schema: {
        tags,
        summary: "Delete a patron's data on their request (refused while loans are open)",
        params: PatronParams,
        response: { 200: PatronDeletion },
      },
    },
    async (request) =>
      privacy.deletePatronData(ctx, request.params.id, request.params.patronId, {
        personId: request.principal!.personId,
        as: 'staff',
      }),
  );
}
