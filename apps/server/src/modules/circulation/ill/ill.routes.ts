import { CreateIllBody, IllActionBody, IllListQuery, IllRequest, Page } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { HoldsErrors } from '../holds/holds.errors.js';
import { holdsPolicy, myPatrons } from '../holds/holds.routes.js';
import * as ill from './ill.service.js';

const LibraryParams = z.strictObject({ id: z.uuid().describe('the library') });
const RequestParams = z.strictObject({ id: z.uuid(), requestId: z.uuid() });
const MyRequestParams = z.strictObject({ requestId: z.uuid() });

/** Inter-library loans under /api/v1: patrons' own requests and each library's side of them. */
export async function illRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/me/ill-requests',
    {
      config: { access: holdsPolicy.self },
      schema: {
        tags: ['ill'],
        summary: 'My inter-library loan requests with their steps',
        response: { 200: z.array(IllRequest) },
      },
    },
    async (request) => ill.illOfPerson(ctx, request.principal!),
  );

  app.post(
    '/me/ill-requests',
    {
      config: { access: holdsPolicy.self },
      schema: {
        tags: ['ill'],
        summary: 'Ask another library of my network to lend a work',
        body: CreateIllBody,
        response: { 201: IllRequest },
      },
    },
    async (request, reply) => {
      const patrons = await myPatrons(ctx, request);
      const patron = request.body.patronId ? patrons.find((p) => p.id === request.body.patronId) : patrons[0];
      if (!patron) throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_ALLOWED, 'You have no library card here.');
      const created = await ill.requestIll(
        ctx,
        { ...request.body, patronId: patron.id },
        { staffOf: null, patronIds: patrons.map((p) => p.id), actorId: request.principal!.personId },
      );
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/me/ill-requests/:requestId/cancel',
    {
      config: { access: holdsPolicy.self },
      schema: {
        tags: ['ill'],
        summary: 'Cancel my request before it is approved',
        params: MyRequestParams,
        response: { 200: IllRequest },
      },
    },
    async (request) => {
      const patronIds = (await myPatrons(ctx, request)).map((p) => p.id);
      return ill.actOnIll(
        ctx,
        request.params.requestId,
        { action: 'cancel' },
        {
          staffOf: null,
          patronIds,
          actorId: request.principal!.personId,
        },
      );
    },
  );

  app.get(
    '/organizations/:id/ill-requests',
    {
      config: { access: holdsPolicy.staff },
      schema: {
        tags: ['ill'],
        summary: "The library's inter-library loans as borrower (its patrons' requests) or as lender (asked of it)",
        params: LibraryParams,
        querystring: IllListQuery,
        response: { 200: Page(IllRequest) },
      },
    },
    async (request) =>
      ill.listIllOfLibrary(ctx, request.params.id, request.query.role, {
        page: request.query.page,
        pageSize: request.query.pageSize,
      }),
  );

  app.post(
    '/organizations/:id/ill-requests',
    {
      config: { access: holdsPolicy.staff },
      schema: {
        tags: ['ill'],
        summary: "Request an inter-library loan for one of the library's patrons",
        params: LibraryParams,
        body: CreateIllBody.extend({ patronId: z.uuid() }),
        response: { 201: IllRequest },
      },
    },
    async (request, reply) => {
      const created = await ill.requestIll(ctx, request.body, {
        staffOf: request.params.id,
        patronIds: [],
        actorId: request.principal!.personId,
      });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/organizations/:id/ill-requests/:requestId',
    {
      config: { access: holdsPolicy.staff },
      schema: {
        tags: ['ill'],
        summary: 'One request, as this library sees it',
        params: RequestParams,
        response: { 200: IllRequest },
      },
    },
    async (request) => ill.getIll(ctx, request.params.requestId, { staffOf: request.params.id, patronIds: [] }),
  );

  app.post(
    '/organizations/:id/ill-requests/:requestId/actions',
    {
      config: { access: holdsPolicy.staff },
      schema: {
        tags: ['ill'],
        summary:
          'Take a step: the lender approves (copy, loan days), declines (reason), ships, checks in; the borrower receives, lends, takes back, ships back, or cancels',
        params: RequestParams,
        body: IllActionBody,
        response: { 200: IllRequest },
      },
    },
    async (request) =>
      ill.actOnIll(ctx, request.params.requestId, request.body, {
        staffOf: request.params.id,
        patronIds: [],
        actorId: request.principal!.personId,
      }),
  );
}
