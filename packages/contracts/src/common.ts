import { z } from 'zod';
import { SUPPORTED_LOCALES } from './vocabulary.js';
export { SUPPORTED_LOCALES, RTL_LOCALES } from './vocabulary.js';

export const Locale = z.enum(SUPPORTED_LOCALES);
export type Locale = z.infer<typeof Locale>;

/** A text kept in several languages: `{ "en": "…", "ru": "…" }` (BCP 47 language tags). */
export const MultilingualText = z
  .record(
    z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "en" or "zh-Hans"'),
    z.string().trim().min(1).max(500),
  )
  .refine((value) => Object.keys(value).length > 0, 'needs at least one language');
export type MultilingualText = z.infer<typeof MultilingualText>;

/** The same paging parameters on every list. */
export const PageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** The same envelope for every list. */
export function Page<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
  });
}
export type Page<T> = { items: T[]; page: number; pageSize: number; total: number };

/** RFC 9457 problem details, as every error is answered. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  requestId: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  retryAfterSeconds: z.number().int().optional(),
});
export type Problem = z.infer<typeof Problem>;

export const Uuid = z.uuid();
export const IsoDateTime = z.string().describe('ISO 8601 date and time');

export const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.enum(['embedded', 'postgres']),
  version: z.string(),
});
export type Health = z.infer<typeof Health>;
