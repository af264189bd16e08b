import type { Organization } from '@athenaeum/contracts';
import { useQueries } from '@tanstack/react-query';
import { organizationQuery } from '../organizations/OrganizationPage';

/** The organizations with these ids (libraries, with their branches as members), as they load. */
export function useOrganizations(ids: readonly string[]): Map<string, Organization> {
  const unique = [...new Set(ids)];
  return useQueries({
    queries: unique.map((id) => ({ ...organizationQuery(id), staleTime: 10 * 60_000 })),
    combine: (results) => {
      const out = new Map<string, Organization>();
      results.forEach((r) => {
        if (r.data) out.set(r.data.id, r.data);
      });
      return out;
    },
  });
}
