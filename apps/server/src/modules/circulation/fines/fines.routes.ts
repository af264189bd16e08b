import { Fine, FineSummary, PaidFine, PayFine, WaiveFine } from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../../platform/context/context.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { circulationPolicy as policy } from '../circulation.policy.js';
import * as fines from './fines.service.js';

const tags = ['circulation'];
const FineParams = z.strictObject({ id: z.uuid().describe('the library'), fineId: z.uuid() });
const ReverseWaiver = z.strictObject({
  waivedAt: z.iso
    .datetime({ offset: true })
    .describe("the waiver to reverse: the fine's waivedAt as the waiver answered it"),
});

/** Fines: a patron's at the desk, payments and waivers, and the patron's own, under /api/v1. */
export async function finesRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  const actor = (request: { principal: { personId: string } | null }) => request.principal?.personId ?? null;
  app.get(
    '/organizations/:id/patrons/:patronId/fines',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: "A patron's fines at this library and what their overdue loans here are accruing (minor units)",
        params: z.strictObject({ id: z.uuid().describe('the library'), patronId: z.uuid() }),
        response: { 200: FineSummary },
      },
    },
    async (request) => fines.patronFines(ctx, request.params.id, request.params.patronId),
  );
  app.post(
    '/organizations/:id/fines/:fineId/payments',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: 'Take a payment on a fine (part or all of the balance; more than owed: 422)',
        params: FineParams,
        body: PayFine,
        response: { 200: PaidFine },
      },
    },
    async (request) =>
      fines.payFine(ctx, {
        libraryId: request.params.id,
        fineId: request.params.fineId,
        amount: request.body.amount,
        actorId: actor(request),
      }),
  );
  app.post(
    '/organizations/:id/fines/:fineId/waiver',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: 'Waive what is still owed on a fine, with a reason (audited)',
        params: FineParams,
        body: WaiveFine,
        response: { 200: Fine },
      },
    },
    async (request) =>
      fines.waiveFine(ctx, {
        libraryId: request.params.id,
        fineId: request.params.fineId,
        reason: request.body.reason,
        actorId: actor(request),
      }),
  );
  app.post(
    '/organizations/:id/fines/:fineId/waiver/reversal',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary:
          'Undo a waiver: the fine is owed again as before it (audited; 409 if the fine is no longer that waiver)',
        params: FineParams,
        body: ReverseWaiver,
        response: { 200: Fine },
      },
    },
    async (request) =>
      fines.reverseWaiver(ctx, {
        libraryId: request.params.id,
        fineId: request.params.fineId,
        waivedAt: request.body.waivedAt,
        actorId: actor(request),
      }),
  );
  app.post(
    '/organizations/:id/fines/:fineId/payments/:paymentId/reversal',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary:
          'Undo a payment: a reversal joins the ledger and the fine is owed that much again (audited; 409 if reversed already or the fine was waived since)',
        params: FineParams.extend({ paymentId: z.uuid().describe("the payment's paymentId as taking it answered") }),
        response: { 200: Fine },
      },
    },
    async (request) =>
      fines.reversePayment(ctx, {
        libraryId: request.params.id,
        fineId: request.params.fineId,
        paymentId: request.params.paymentId,
        actorId: actor(request),
      }),
  );
  app.get(
    '/me/fines',
    {
      config: { access: policy.self },
      schema: {
        tags,
        summary: 'My fines at every library, and what my overdue loans are accruing',
        response: { 200: FineSummary },
      },
    },
    async (request) => fines.myFines(ctx, request.principal!.personId),
  );
}
