import { z } from 'zod';
import { SELF_REGISTRATION_MODES, SELF_REGISTRATION_CATEGORIES } from './vocabulary.js';
export { SELF_REGISTRATION_MODES, SELF_REGISTRATION_CATEGORIES } from './vocabulary.js';
import { OrganizationRef } from './organizations.js';

export const SelfRegistrationMode = z.enum(SELF_REGISTRATION_MODES);
export type SelfRegistrationMode = z.infer<typeof SelfRegistrationMode>;

export const SelfRegistrationCategory = z.enum(SELF_REGISTRATION_CATEGORIES);
export type SelfRegistrationCategory = z.infer<typeof SelfRegistrationCategory>;

/** What a library offers to people who want to join it online (public). */
export const SelfRegistrationOffer = z.object({
  libraryId: z.uuid(),
  mode: SelfRegistrationMode,
  categories: z.array(SelfRegistrationCategory),
});
export type SelfRegistrationOffer = z.infer<typeof SelfRegistrationOffer>;

/** A signed-in person joins a library as a patron. */
export const JoinLibrary = z.strictObject({
  libraryId: z.uuid(),
  category: SelfRegistrationCategory.default('adult'),
  givenName: z.string().trim().min(1).max(100).optional().describe("default: from the account's display name"),
  familyName: z.string().trim().min(1).max(100).optional().describe("default: from the account's display name"),
});
export type JoinLibrary = z.input<typeof JoinLibrary>;

/** One of the signed-in person's patron records: their card at a library. */
export const LibraryMembership = z.object({
  patronId: z.uuid(),
  library: OrganizationRef,
  cardNumber: z.string(),
  category: z.string(),
  status: z.enum(['active', 'pending', 'closed']),
  expiresOn: z.string(),
  selfRegistered: z.boolean(),
  /** True while the library waits for the patron to show an identity document at a desk. */
  mustConfirmAtDesk: z.boolean(),
  createdAt: z.string(),
});
export type LibraryMembership = z.infer<typeof LibraryMembership>;
