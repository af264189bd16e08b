/**
 * The work a work page should show under its own address instead of the one asked for: the API
 * answers the id of a work whose records joined another (a merge, a re-clustering) with a
 * redirect to that work, which fetch follows, so the work served has another id. Null when it is
 * the work asked for (ids compare as UUIDs, in any case).
 */
export function movedWorkId(requestedId: string, served: { id: string } | undefined): string | null {
  if (!served) return null;
  return served.id.toLowerCase() === requestedId.toLowerCase() ? null : served.id;
}
