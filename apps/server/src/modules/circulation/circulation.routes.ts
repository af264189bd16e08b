import {
  BlockPatron,
  BranchCalendar,
  CheckIn,
  CheckInResult,
  CheckOut,
  CirculationPolicy,
  CirculationSettings,
  ItemHistory,
  Loan,
  MarkItem,
  MyLoan,
  Page,
  Patron,
  PatronSearchQuery,
  PolicyFields,
  RegisterPatron,
  RenewByBarcode,
  RenewMembership,
  UpdateCirculationSettings,
} from '@athenaeum/contracts';
import { z } from 'zod';
import type { AppContext } from '../../platform/context/context.js';
import type { FastifyZodInstance } from '../../platform/http/types.js';
import { circulationPolicy as policy } from './circulation.policy.js';
import * as loans from './loans.service.js';
import * as patrons from './patrons.service.js';
import * as rules from './rules.service.js';
import { holdsAndIllRoutes } from './holds/index.js';
import { finesRoutes } from './fines/fines.routes.js';
import { networkRoutes } from './network/network.routes.js';

const Library = z.strictObject({ id: z.uuid().describe('the library') });
const PatronParams = Library.extend({ patronId: z.uuid() });
const tags = ['circulation'];

/** The circulation desk, patron records, loan rules and self-service loans, under /api/v1. */
export async function circulationRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  // Holds, click-and-collect, inter-library loans and notice choices (holds/, ill/, pickup/, notifications/).
  await holdsAndIllRoutes(app, ctx);
  // The network card and fines (network/, fines/).
  await networkRoutes(app, ctx);
  await finesRoutes(app, ctx);
  const actor = (request: { principal: { personId: string } | null }) => request.principal?.personId ?? null;

  // Patrons --------------------------------------------------------------------------------
  app.post(
    '/organizations/:id/patrons',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: 'Register a patron at the library',
        params: Library,
        body: RegisterPatron,
        response: { 201: Patron },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await patrons.registerPatron(ctx, request.params.id, request.body)),
  );
  app.get(
    '/organizations/:id/patrons',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: "Find the library's patrons by card number, name or e-mail",
        params: Library,
        querystring: PatronSearchQuery,
        response: { 200: Page(Patron) },
      },
    },
    async (request) => patrons.searchPatrons(ctx, request.params.id, request.query),
  );
  app.get(
    '/organizations/:id/patrons/:patronId',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: 'A patron, with blocks and staff notes',
        params: PatronParams,
        response: { 200: Patron },
      },
    },
    async (request) => patrons.getPatron(ctx, request.params.id, request.params.patronId),
  );
  app.post(
    '/organizations/:id/patrons/:patronId/membership',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: "Renew a patron's membership until a date",
        params: PatronParams,
        body: RenewMembership,
        response: { 200: Patron },
      },
    },
    async (request) => patrons.renewMembership(ctx, request.params.id, request.params.patronId, request.body.expiresOn),
  );
  app.post(
    '/organizations/:id/patrons/:patronId/blocks',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: 'Block a patron, with a reason',
        params: PatronParams,
        body: BlockPatron,
        response: { 201: Patron },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await patrons.blockPatron(
            ctx,
            request.params.id,
            request.params.patronId,
            request.body.reason,
            actor(request),
          ),
        ),
  );
  app.delete(
    '/organizations/:id/patrons/:patronId/blocks/:blockId',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: 'Lift a block',
        params: PatronParams.extend({ blockId: z.uuid() }),
        response: { 200: Patron },
      },
    },
    async (request) =>
      patrons.unblockPatron(ctx, request.params.id, request.params.patronId, request.params.blockId, actor(request)),
  );

  // Desk -----------------------------------------------------------------------------------
  app.post(
    '/organizations/:id/checkouts',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: 'Check out: lend the item with this barcode to the patron with this card',
        description:
          'Refusals (409) say why: CIRCULATION_PATRON_BLOCKED, …_MEMBERSHIP_EXPIRED, …_LOAN_LIMIT_REACHED, …_ITEM_ON_LOAN, …_ITEM_ON_HOLD, …_ITEM_NOT_FOR_LOAN, …_ITEM_IN_QUARANTINE.',
        params: Library,
        body: CheckOut,
        response: { 201: Loan },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await loans.checkOut(ctx, { libraryId: request.params.id, ...request.body, actorId: actor(request) })),
  );
  app.post(
    '/organizations/:id/checkins',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: 'Check in an item at a branch of this library (items of other libraries of the network too)',
        params: Library,
        body: CheckIn,
        response: { 200: CheckInResult },
      },
    },
    async (request) => loans.checkIn(ctx, { libraryId: request.params.id, ...request.body, actorId: actor(request) }),
  );
  app.post(
    '/organizations/:id/renewals',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: 'Renew the loan of the item with this barcode',
        params: Library,
        body: RenewByBarcode,
        response: { 200: Loan },
      },
    },
    async (request) => loans.renewLoan(ctx, { libraryId: request.params.id, barcode: request.body.barcode }),
  );
  app.post(
    '/organizations/:id/loans/:loanId/renewal',
    {
      config: { access: policy.desk },
      schema: { tags, summary: 'Renew a loan', params: Library.extend({ loanId: z.uuid() }), response: { 200: Loan } },
    },
    async (request) => loans.renewLoan(ctx, { libraryId: request.params.id, loanId: request.params.loanId }),
  );
  app.get(
    '/organizations/:id/loans',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: "The library's loans, newest first (the rule that applied is policyId)",
        params: Library,
        querystring: z.strictObject({
          patronId: z.uuid().optional(),
          open: z.enum(['true', 'false']).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: Page(Loan) },
      },
    },
    async (request) =>
      loans.listLoans(ctx, request.params.id, {
        ...request.query,
        open: request.query.open === undefined ? undefined : request.query.open === 'true',
      }),
  );
  app.post(
    '/organizations/:id/item-marks',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: 'Mark an item lost, damaged, claimed returned or missing',
        params: Library,
        body: MarkItem,
        response: { 200: ItemHistory },
      },
    },
    async (request) => loans.markItem(ctx, { libraryId: request.params.id, ...request.body, actorId: actor(request) }),
  );
  app.get(
    '/organizations/:id/item-history',
    {
      config: { access: policy.desk },
      schema: {
        tags,
        summary: "An item's status changes (who, when, why) and loans",
        params: Library,
        querystring: z.strictObject({ barcode: z.string().trim().min(1).max(64) }),
        response: { 200: ItemHistory },
      },
    },
    async (request) => loans.itemHistory(ctx, request.params.id, request.query.barcode),
  );

  // Rules ----------------------------------------------------------------------------------
  app.get(
    '/organizations/:id/circulation-settings',
    {
      config: { access: policy.configure },
      schema: {
        tags,
        summary: 'Quarantine hours and pickup window',
        params: Library,
        response: { 200: CirculationSettings },
      },
    },
    async (request) => rules.getSettingsOf(ctx, request.params.id),
  );
  app.patch(
    '/organizations/:id/circulation-settings',
    {
      config: { access: policy.configure },
      schema: {
        tags,
        summary: 'Change quarantine hours or pickup window',
        params: Library,
        body: UpdateCirculationSettings,
        response: { 200: CirculationSettings },
      },
    },
    async (request) => rules.updateCirculationSettings(ctx, request.params.id, request.body),
  );
  app.get(
    '/organizations/:id/circulation-policies',
    {
      config: { access: policy.configure },
      schema: {
        tags,
        summary: "The library's loan rules",
        params: Library,
        response: { 200: z.object({ items: z.array(CirculationPolicy), default: CirculationPolicy }) },
      },
    },
    async (request) => ({
      items: await rules.listPolicies(ctx, request.params.id),
      default: rules.presentPolicy(null),
    }),
  );
  app.post(
    '/organizations/:id/circulation-policies',
    {
      config: { access: policy.configure },
      schema: {
        tags,
        summary: 'Add a loan rule',
        params: Library,
        body: PolicyFields,
        response: { 201: CirculationPolicy },
      },
    },
    async (request, reply) => reply.status(201).send(await rules.createPolicy(ctx, request.params.id, request.body)),
  );
  app.delete(
    '/organizations/:id/circulation-policies/:policyId',
    {
      config: { access: policy.configure },
      schema: {
        tags,
        summary: 'Delete a loan rule (loans keep their terms)',
        params: Library.extend({ policyId: z.uuid() }),
      },
    },
    async (request, reply) => {
      await rules.deletePolicy(ctx, request.params.id, request.params.policyId);
      return reply.status(204).send();
    },
  );
  app.get(
    '/organizations/:id/circulation-calendars/:branchId',
    {
      config: { access: policy.configure },
      schema: {
        tags,
        summary: "A branch's opening days, closed dates and time zone",
        params: Library.extend({ branchId: z.uuid() }),
        response: { 200: BranchCalendar },
      },
    },
    async (request) => rules.getBranchCalendar(ctx, request.params.id, request.params.branchId),
  );
  app.put(
    '/organizations/:id/circulation-calendars/:branchId',
    {
      config: { access: policy.configure },
      schema: {
        tags,
        summary:
          "Set a branch's opening days, closed dates and IANA time zone (due dates fall at closing time on the branch's next open local day)",
        params: Library.extend({ branchId: z.uuid() }),
        body: BranchCalendar,
        response: { 200: BranchCalendar },
      },
    },
    async (request) => rules.putBranchCalendar(ctx, request.params.id, request.params.branchId, request.body),
  );

  // Self-service ---------------------------------------------------------------------------
  app.get(
    '/me/loans',
    {
      config: { access: policy.self },
      schema: { tags, summary: 'My loans, with due dates', response: { 200: z.object({ items: z.array(MyLoan) }) } },
    },
    async (request) => ({ items: await loans.myLoans(ctx, request.principal!.personId) }),
  );
  app.post(
    '/me/loans/:loanId/renewal',
    {
      config: { access: policy.self },
      schema: {
        tags,
        summary: 'Renew one of my loans',
        params: z.strictObject({ loanId: z.uuid() }),
        response: { 200: MyLoan },
      },
    },
    async (request) => loans.renewMyLoan(ctx, request.principal!.personId, request.params.loanId),
  );
}
