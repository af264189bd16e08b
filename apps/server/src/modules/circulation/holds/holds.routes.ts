import {
  BookPickupBody,
  ChangeHoldBody,
  CreatePickupSlotBody,
  Hold,
  HoldOption,
  HoldListQuery,
  Page,
  PickupBooking,
  PickupOccurrence,
  PickupSlot,
  PlaceHoldBody,
  PullHoldBody,
  StaffHoldListQuery,
  StaffPlaceHoldBody,
} from '@athenaeum/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getOrganization } from '../../accounts/index.js';
import { access } from '../../../platform/auth/access.js';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError } from '../../../platform/errors.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { circulationPolicy } from '../circulation.policy.js';
import * as pickup from '../pickup/pickup.service.js';
import { HoldsErrors } from './holds.errors.js';
import * as repo from './holds.repository.js';
import * as holds from './holds.service.js';

/** Who may do what with holds, slots and inter-library loans. */
export const holdsPolicy = {
  /** A library's (`:id`) hold lists, pickup slots and inter-library loans: its staff and admins. */
  staff: access.orgRole(['staff', 'admin'], 'id'),
  /** A signed-in person's own holds and requests, through their patron records: a session, as every patron self-service route. */
  self: circulationPolicy.self,
};

const Done = z.object({ ok: z.literal(true) });
const ok = { ok: true as const };
const HoldParams = z.strictObject({ holdId: z.uuid() });
const LibraryParams = z.strictObject({ id: z.uuid().describe('the library') });
const LibraryHoldParams = z.strictObject({ id: z.uuid(), holdId: z.uuid() });
const SlotParams = z.strictObject({ id: z.uuid(), slotId: z.uuid() });
const CancelBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).nullish();

/** The patron records of the signed-in person (a person may hold cards at several libraries). */
export async function myPatrons(ctx: AppContext, request: FastifyRequest) {
  return repo.patronsOfPerson(repo.holdsDb(ctx.db), request.principal!.personId);
}

async function myScope(ctx: AppContext, request: FastifyRequest): Promise<holds.HoldScope> {
  return { patronIds: (await myPatrons(ctx, request)).map((p) => p.id) };
}

const toDate = (value: string | null | undefined) =>
  value === undefined
    ? undefined
    : value === null
      ? null
      : new Date(value.length === 10 ? `${value}T00:00:00Z` : value);

/** Holds and click-and-collect under /api/v1: /me/holds for patrons, /organizations/:id/holds and pickup-slots for staff. */
export async function holdsRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  app.get(
    '/me/holds',
    {
      config: { access: holdsPolicy.self },
      schema: {
        tags: ['holds'],
        summary: 'My holds (open ones, or closed ones with ?closed=true)',
        querystring: HoldListQuery,
        response: { 200: z.array(Hold) },
      },
    },
    async (request) => holds.holdsOfPerson(ctx, request.principal!.personId, !request.query.closed),
  );

  app.get(
    '/me/hold-options',
    {
      config: { access: holdsPolicy.self },
      schema: {
        tags: ['holds'],
        summary: 'My library cards with the pickup branches each may choose',
        response: { 200: z.array(HoldOption) },
      },
    },
    async (request) => {
      const patrons = await myPatrons(ctx, request);
      return Promise.all(
        patrons.map(async (p) => {
          const library = await getOrganization(ctx, p.organization_id);
          const branches = library.members.filter((m) => m.kind === 'branch');
          return {
            patronId: p.id,
            cardNumber: p.card_number,
            library: { id: library.id, names: library.names },
            pickupBranches: (branches.length ? branches : [library]).map((b) => ({ id: b.id, names: b.names })),
          };
        }),
      );
    },
  );

  app.post(
    '/me/holds',
    {
      config: { access: holdsPolicy.self },
      schema: {
        tags: ['holds'],
        summary: 'Place a hold on a work (any accepted edition) or on one copy',
        body: PlaceHoldBody,
        response: { 201: Hold },
      },
    },
    async (request, reply) => {
      const patrons = await myPatrons(ctx, request);
      const patron = request.body.patronId ? patrons.find((p) => p.id === request.body.patronId) : patrons[0];
      if (!patron) {
        throw new AppError(
          HoldsErrors.CIRCULATION_HOLD_NOT_ALLOWED,
          'You have no library card here to place a hold with.',
        );
      }
      const hold = await holds.placeHold(ctx, {
        patronId: patron.id,
        workId: request.body.workId,
        itemId: request.body.itemId,
        recordIds: request.body.recordIds,
        pickupBranchId: request.body.pickupBranchId,
        actorId: request.principal!.personId,
      });
      return reply.status(201).send(hold);
    },
  );

  app.patch(
    '/me/holds/:holdId',
    {
      config: { access: holdsPolicy.self },
      schema: {
        tags: ['holds'],
        summary: 'Suspend my hold until a date (null resumes it), or change its pickup branch',
        params: HoldParams,
        body: ChangeHoldBody,
        response: { 200: Hold },
      },
    },
    async (request) =>
      holds.changeHold(ctx, request.params.holdId, await myScope(ctx, request), {
        suspendedUntil: toDate(request.body.suspendedUntil),
        pickupBranchId: request.body.pickupBranchId,
      }),
  );

  app.delete(
    '/me/holds/:holdId',
    {
      config: { access: holdsPolicy.self },
      schema: { tags: ['holds'], summary: 'Cancel my hold', params: HoldParams, response: { 200: Hold } },
    },
    async (request) => holds.cancelHold(ctx, request.params.holdId, await myScope(ctx, request), null),
  );

  app.get(
    '/me/holds/:holdId/pickup-slots',
    {
      config: { access: holdsPolicy.self },
      schema: {
        tags: ['holds'],
        summary: "Pickup times at my ready hold's branch until its deadline, with places taken, and my booking",
        params: HoldParams,
        response: { 200: z.object({ occurrences: z.array(PickupOccurrence), booking: PickupBooking.nullable() }) },
      },
    },
    async (request) => pickup.slotsForHold(ctx, request.params.holdId, await myScope(ctx, request)),
  );

  app.put(
    '/me/holds/:holdId/pickup-booking',
    {
      config: { access: holdsPolicy.self },
      schema: {
        tags: ['holds'],
        summary: 'Book (or move) the pickup of my ready hold to a slot on a date; refused when full',
        params: HoldParams,
        body: BookPickupBody,
        response: { 200: PickupBooking },
      },
    },
    async (request) => pickup.bookPickup(ctx, request.params.holdId, await myScope(ctx, request), request.body),
  );

  app.delete(
    '/me/holds/:holdId/pickup-booking',
    {
      config: { access: holdsPolicy.self },
      schema: { tags: ['holds'], summary: 'Cancel my pickup booking', params: HoldParams, response: { 200: Done } },
    },
    async (request) => (await pickup.cancelPickup(ctx, request.params.holdId, await myScope(ctx, request)), ok),
  );

  // Staff -------------------------------------------------------------------------------------

  app.get(
    '/organizations/:id/holds',
    {
      config: { access: holdsPolicy.staff },
      schema: {
        tags: ['holds'],
        summary:
          "A library's hold lists: copies to pull from its shelves (pull), holds waiting on its hold shelves (shelf), expired or cancelled holds to clear (expired), holds in transit (transit)",
        params: LibraryParams,
        querystring: StaffHoldListQuery,
        response: { 200: Page(Hold) },
      },
    },
    async (request) =>
      holds.staffHoldList(ctx, request.params.id, request.query.list, {
        page: request.query.page,
        pageSize: request.query.pageSize,
      }),
  );

  app.post(
    '/organizations/:id/holds',
    {
      config: { access: holdsPolicy.staff },
      schema: {
        tags: ['holds'],
        summary: "Place a hold for one of the library's patrons",
        params: LibraryParams,
        body: StaffPlaceHoldBody,
        response: { 201: Hold },
      },
    },
    async (request, reply) => {
      const patron = await repo.findPatron(repo.holdsDb(ctx.db), request.body.patronId);
      if (!patron || patron.organization_id !== request.params.id) {
        throw new AppError(HoldsErrors.CIRCULATION_HOLD_NOT_ALLOWED, 'There is no such patron at this library.');
      }
      const hold = await holds.placeHold(ctx, { ...request.body, actorId: request.principal!.personId });
      return reply.status(201).send(hold);
    },
  );

  app.delete(
    '/organizations/:id/holds/:holdId',
    {
      config: { access: holdsPolicy.staff },
      schema: {
        tags: ['holds'],
        summary: "Cancel a hold of the library's patron",
        params: LibraryHoldParams,
        body: CancelBody,
        response: { 200: Hold },
      },
    },
    async (request) =>
      holds.cancelHold(ctx, request.params.holdId, { libraryId: request.params.id }, request.body?.reason ?? null),
  );

  app.post(
    '/organizations/:id/holds/:holdId/pull',
    {
      config: { access: holdsPolicy.staff },
      schema: {
        tags: ['holds'],
        summary:
          'A copy set aside was taken off the shelf (or a copy in transit arrived) at a branch: ready there, else in transit',
        params: LibraryHoldParams,
        body: PullHoldBody,
        response: { 200: Hold },
      },
    },
    async (request) =>
      holds.pullHold(
        ctx,
        request.params.holdId,
        request.params.id,
        request.body.atBranchId,
        request.principal!.personId,
      ),
  );

  app.post(
    '/organizations/:id/holds/:holdId/clear',
    {
      config: { access: holdsPolicy.staff },
      schema: {
        tags: ['holds'],
        summary:
          'Take the copy of an expired or cancelled hold off the hold shelf: it serves the next hold or is available',
        params: LibraryHoldParams,
        response: { 200: Hold },
      },
    },
    async (request) => holds.clearHold(ctx, request.params.holdId, request.params.id, request.principal!.personId),
  );

  app.get(
    '/organizations/:id/pickup-slots',
    {
      config: { access: holdsPolicy.staff },
      schema: {
        tags: ['holds'],
        summary: "The library's weekly click-and-collect slots (UTC), per branch",
        params: LibraryParams,
        response: { 200: z.array(PickupSlot) },
      },
    },
    async (request) => pickup.listSlots(ctx, request.params.id),
  );

  app.post(
    '/organizations/:id/pickup-slots',
    {
      config: { access: holdsPolicy.staff },
      schema: {
        tags: ['holds'],
        summary: 'Add a weekly pickup slot at a branch with a capacity',
        params: LibraryParams,
        body: CreatePickupSlotBody,
        response: { 201: PickupSlot },
      },
    },
    async (request, reply) => reply.status(201).send(await pickup.createSlot(ctx, request.params.id, request.body)),
  );

  app.delete(
    '/organizations/:id/pickup-slots/:slotId',
    {
      config: { access: holdsPolicy.staff },
      schema: { tags: ['holds'], summary: 'Withdraw a pickup slot', params: SlotParams, response: { 200: Done } },
    },
    async (request) => (await pickup.removeSlot(ctx, request.params.id, request.params.slotId), ok),
  );
}
