import { LinkedPatron, LinkGuardian, MyLoan } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { circulationPolicy as policy } from '../circulation.policy.js';
import * as guardians from './guardians.service.js';

const tags = ['circulation'];
const PatronParams = z.strictObject({ id: z.uuid().describe('the library'), patronId: z.uuid() });
const Child = z.strictObject({ patronId: z.uuid().describe('the child patron') });

/** Guardian links (staff) and a guardian's view of their children's loans (self-service), under /api/v1. */
export async function guardianRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  app.post(
    '/organizations/:id/patrons/:patronId/guardians',
    {
      config: { access: policy.guardians },
      schema: {
        tags,
        summary: "Make a patron of this library a guardian of this (child) patron; returns the child's guardians",
        params: PatronParams,
        body: LinkGuardian,
        response: { 200: z.object({ items: z.array(LinkedPatron) }) },
      },
    },
    async (request) => ({
      items: await guardians.linkGuardian(
        ctx,
        request.params.id,
        request.params.patronId,
        request.body.guardianPatronId,
        request.principal?.personId ?? null,
      ),
    }),
  );
  app.get(
    '/organizations/:id/patrons/:patronId/guardians',
    {
      config: { access: policy.guardians },
      schema: {
        tags,
        summary: "A patron's guardians",
        params: PatronParams,
        response: { 200: z.object({ items: z.array(LinkedPatron) }) },
      },
    },
    async (request) => ({ items: await guardians.guardiansOf(ctx, request.params.id, request.params.patronId) }),
  );
  app.delete(
    '/organizations/:id/patrons/:patronId/guardians/:guardianPatronId',
    {
      config: { access: policy.guardians },
      schema: { tags, summary: 'End a guardian link', params: PatronParams.extend({ guardianPatronId: z.uuid() }) },
    },
    async (request, reply) => {
      const { id, patronId, guardianPatronId } = request.params;
      await guardians.unlinkGuardian(ctx, id, patronId, guardianPatronId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/me/children',
    {
      config: { access: policy.self },
      schema: {
        tags,
        summary: 'The child patrons I am a guardian of',
        response: { 200: z.object({ items: z.array(LinkedPatron) }) },
      },
    },
    async (request) => ({ items: await guardians.myChildren(ctx, request.principal!.personId) }),
  );
  app.get(
    '/me/children/:patronId/loans',
    {
      config: { access: policy.self },
      schema: {
        tags,
        summary: "A child's open loans (their guardians only)",
        params: Child,
        response: { 200: z.object({ items: z.array(MyLoan) }) },
      },
    },
    async (request) => ({
      items: await guardians.childLoans(ctx, request.principal!.personId, request.params.patronId),
    }),
  );
  app.post(
    '/me/children/:patronId/loans/:loanId/renewal',
    {
      config: { access: policy.self },
      schema: {
        tags,
        summary: "Renew a child's loan (their guardians only)",
        params: Child.extend({ loanId: z.uuid() }),
        response: { 200: MyLoan },
      },
    },
    async (request) =>
      guardians.renewChildLoan(ctx, request.principal!.personId, request.params.patronId, request.params.loanId),
  );
}
