import type { Me, RoleGrant, SessionInfo } from '@athenaeum/contracts';
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken } from './api';

export const sessionKey = ['session'] as const;

/** Who is signed in (null when nobody is); also keeps the CSRF token for writes. */
export const sessionQuery = queryOptions({
  queryKey: sessionKey,
  queryFn: async (): Promise<SessionInfo | null> => {
    try {
      const info = await api<SessionInfo>('/sessions/current');
      setCsrfToken(info.csrfToken);
      return info;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw error;
    }
  },
  staleTime: 60_000,
  retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
});

export function useSession() {
  return useQuery(sessionQuery);
}

/** The signed-in person, or null. */
export function useMe(): Me | null {
  return useSession().data?.person ?? null;
}

export function rememberSession(client: QueryClient, info: SessionInfo | null): void {
  setCsrfToken(info?.csrfToken ?? null);
  client.setQueryData(sessionKey, info);
}

export function updateMe(client: QueryClient, person: Me): void {
  client.setQueryData<SessionInfo | null>(sessionKey, (old) => (old ? { ...old, person } : old));
}

const MANAGING_ROLES = new Set(['admin', 'officer']);

/** Admins of a library (and its branches), officers of an association or alliance, platform admins. */
export function canManage(person: Me | null, organization: { id: string; parent?: { id: string } | null }): boolean {
  if (!person) return false;
  if (person.isPlatformAdmin) return true;
  return person.roles.some(
    (grant: RoleGrant) =>
      MANAGING_ROLES.has(grant.role) &&
      (grant.organization.id === organization.id || grant.organization.id === organization.parent?.id),
  );
}

/** A same-site path to return to after sign-in; anything else falls back to the home page. */
export function safeRedirect(target: unknown): string {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\'))
    return '/';
  if (target.startsWith('/sign-in') || target.startsWith('/sign-out')) return '/';
  return target;
}
