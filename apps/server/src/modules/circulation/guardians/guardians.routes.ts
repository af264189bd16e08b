import { ChangeHoldBody, Hold, HoldListQuery, LinkedPatron, LinkGuardian, MyLoan } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { circulationPolicy as policy } from '../circulation.policy.js';
import * as guardians from './guardians.service.js';

const tags = ['circulation'];
const PatronParams = z.strictObject({ id: z.uuid().describe('the library'), patronId: z.uuid() });
const Child = z.strictObject({ patronId: z.uuid().describe('the child patron') });
const ChildHold = Child.extend({ holdId: z.uuid() });
const ChildHoldBody = z
  .strictObject({
    workId: z.uuid().optional(),
    itemId: z.uuid().optional(),
    recordIds: z.array(z.uuid()).max(100).optional(),
    pickupBranchId: z.uuid().describe("a pickup branch of the child's library"),
  })
  .refine((b) => Boolean(b.workId) !== Boolean(b.itemId), 'name either workId or itemId');

const toDate = (value: string | null | undefined) =>
  value === undefined || value === null ? value : new Date(value.length === 10 ? `${value}T00:00:00Z` : value);

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
      config: { access: policy.asGuardian },
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
      config: { access: policy.asGuardian },
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
      config: { access: policy.asGuardian },
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

  app.get(
    '/me/children/:patronId/holds',
    {
      config: { access: policy.asGuardian },
      schema: {
        tags,
        summary: "A child's holds, open ones or closed ones with ?closed=true (their guardians only)",
        params: Child,
        querystring: HoldListQuery,
        response: { 200: z.array(Hold) },
      },
    },
    async (request) =>
      guardians.childHolds(ctx, request.principal!.personId, request.params.patronId, !request.query.closed),
  );
  app.post(
    '/me/children/:patronId/holds',
    {
      config: { access: policy.asGuardian },
      schema: {
        tags,
        summary: "Place a hold for a child on their card (their guardians only; the child's hold rules apply)",
        params: Child,
        body: ChildHoldBody,
        response: { 201: Hold },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await guardians.placeChildHold(ctx, request.principal!.personId, request.params.patronId, request.body)),
  );
  app.patch(
    '/me/children/:patronId/holds/:holdId',
    {
      config: { access: policy.asGuardian },
      schema: {
        tags,
        summary: "Suspend a child's hold until a date (null resumes it), or change its pickup branch",
        params: ChildHold,
        body: ChangeHoldBody,
        response: { 200: Hold },
      },
    },
    async (request) =>
      guardians.changeChildHold(ctx, request.principal!.personId, request.params.patronId, request.params.holdId, {
        suspendedUntil: toDate(request.body.suspendedUntil),
        pickupBranchId: request.body.pickupBranchId,
      }),
  );
  app.delete(
    '/me/children/:patronId/holds/:holdId',
    {
      config: { access: policy.asGuardian },
      schema: {
        tags,
        summary: "Cancel a child's hold (their guardians only)",
        params: ChildHold,
        response: { 200: Hold },
      },
    },
    async (request) =>
      guardians.cancelChildHold(ctx, request.principal!.personId, request.params.patronId, request.params.holdId),
  );
}
