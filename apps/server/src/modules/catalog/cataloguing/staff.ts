import type { Principal } from '../../../platform/auth/principal.js';
import type { AppContext } from '../../../platform/context/context.js';
import { AppError, PlatformErrors } from '../../../platform/errors.js';
import { rolesAt } from '../../accounts/index.js';

/** Refuses unless the principal is staff or an admin of the library (or a platform administrator). */
export async function requireCatalogueStaff(
  ctx: AppContext,
  principal: Principal,
  libraryId: string,
  what: string,
): Promise<void> {
  if (principal.isPlatformAdmin) return;
  const roles = await rolesAt(ctx, principal, libraryId);
  if (!roles.some((r) => r === 'staff' || r === 'admin')) {
    throw new AppError(PlatformErrors.FORBIDDEN, `Only staff of the library that holds it may ${what}.`);
  }
}
