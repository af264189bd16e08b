// Holds, click-and-collect, inter-library loans and patron notices: a part of the circulation
// module. Check-out, check-in and renewal (the module's core) call the four functions below.
import type { AppContext } from '../../../platform/context/context.js';
import type { FastifyZodInstance } from '../../../platform/http/types.js';
import { illRoutes } from '../ill/ill.routes.js';
import { notificationRoutes } from '../notifications/notifications.routes.js';
import { holdsRoutes } from './holds.routes.js';

/** Whether a copy is held for someone other than the patron (set aside, in transit, on the hold shelf, or lent between libraries): check-out is then refused. */
export { holdBlocksCheckout } from './holds.service.js';
/** The loan fields a renewal check needs. */
export interface RenewableLoan {
  id: string;
  itemId: string;
  patronId: string | null;
  libraryId: string;
}
/** Whether another patron's hold could be filled by the loan's copy (renewal refused where the rule's hold_blocks_renewal says so). */
export { holdBlocksRenewal } from './holds.service.js';
/**
 * With the copy locked, when it becomes available at a branch (check-in, end of quarantine): the
 * hold it now fills, or null. Ready when the pickup branch is this one (put the copy on the hold
 * shelf), else in transit (send it there).
 */
export { trapReturnedItem, type Trap } from './holds.service.js';
/** At check-out: fulfils the patron's hold on the copy's work; returns its id or null. */
export { fulfilHoldOnCheckout } from './holds.service.js';
/** Use cases for other parts of the module and the demo seed. */
export { placeHold, cancelHold, changeHold, expireHold, assignWaitingHolds, type HoldView } from './holds.service.js';
/** Presents hold rows as HoldView (titles included); with holdsOfPatrons, a given patron's holds (guardians). */
export { presentHolds, type HoldScope, type PlaceHold, type ChangeHold } from './holds.service.js';
export { holdsDb, holdsOfPatrons } from './holds.repository.js';
/** Reading history is private by default: closed holds and finished ILL requests forget their patron unless kept (privacy). */
export { forgetClosedHolds } from './holds.repository.js';
export { forgetFinishedRequests } from '../ill/ill.repository.js';
export { createSlot, bookPickup } from '../pickup/pickup.service.js';
export { requestIll, actOnIll } from '../ill/ill.service.js';
/** Demo holds and an inter-library loan in flight (after the circulation demo). */
export { seedHoldsDemo } from './holds.seed.js';
/** The hold, pickup, ILL and notice error codes. */
export { HoldsErrors } from './holds.errors.js';
/** Registers notice rendering, hold expiry and the periodic sweep; scheduleSweep starts the sweep. */
export { registerHoldsJobs, scheduleSweep, sweep, sendNotice } from '../notifications/notifications.service.js';

/** All routes of holds, pickup slots, inter-library loans and notice choices, under /api/v1. */
export async function holdsAndIllRoutes(app: FastifyZodInstance, ctx: AppContext): Promise<void> {
  await holdsRoutes(app, ctx);
  await illRoutes(app, ctx);
  await notificationRoutes(app, ctx);
}
