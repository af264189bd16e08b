import { z } from 'zod';
import { ORGANIZATION_KINDS } from './vocabulary.js';
export { ORGANIZATION_KINDS } from './vocabulary.js';
import { MultilingualText, PageQuery } from './common.js';

export const OrganizationKind = z.enum(ORGANIZATION_KINDS);
export type OrganizationKind = z.infer<typeof OrganizationKind>;

export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "RU" or "BR"');

export const OrganizationCode = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, 'must be 2–32 capital letters, digits or hyphens');

export const Address = z.strictObject({
  street: z.string().max(200).optional(),
  city: z.string().max(100).optional(),
  region: z.string().max(100).optional(),
  postalCode: z.string().max(20).optional(),
});

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
/** Regular opening hours of a branch; a day absent from the list is closed. */
export const OpeningHours = z.array(z.strictObject({ day: Weekday, opens: Time, closes: Time })).max(21);
export type OpeningHours = z.infer<typeof OpeningHours>;

export const OrganizationRef = z.object({
  id: z.uuid(),
  code: z.string(),
  kind: OrganizationKind,
  names: z.record(z.string(), z.string()),
  country: z.string(),
});
export type OrganizationRef = z.infer<typeof OrganizationRef>;

export const Organization = OrganizationRef.extend({
  parent: OrganizationRef.nullable(),
  address: Address,
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  website: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  openingHours: OpeningHours.nullable(),
  /** Associations and alliances this organization is a member of. */
  memberOf: z.array(OrganizationRef),
  /** Direct members (libraries of an association, branches of a library). */
  members: z.array(OrganizationRef),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Organization = z.infer<typeof Organization>;

export const OrganizationListQuery = PageQuery.extend({
  kind: OrganizationKind.optional(),
  country: CountryCode.optional(),
  q: z.string().trim().max(200).optional(),
  memberOf: z.uuid().optional(),
});
export type OrganizationListQuery = z.infer<typeof OrganizationListQuery>;

const OrganizationFields = {
  names: MultilingualText,
  country: CountryCode,
  address: Address.optional(),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  website: z.url().max(500).nullable().optional(),
  email: z.email().max(254).nullable().optional(),
  phone: z.string().max(50).nullable().optional(),
  openingHours: OpeningHours.nullable().optional(),
};

export const CreateOrganization = z.strictObject({
  code: OrganizationCode,
  kind: OrganizationKind,
  parentId: z.uuid().optional(),
  memberOf: z.array(z.uuid()).max(50).optional(),
  ...OrganizationFields,
});
export type CreateOrganization = z.infer<typeof CreateOrganization>;

export const UpdateOrganization = z.strictObject({
  ...OrganizationFields,
  names: MultilingualText.optional(),
  country: CountryCode.optional(),
});
export type UpdateOrganization = z.infer<typeof UpdateOrganization>;
