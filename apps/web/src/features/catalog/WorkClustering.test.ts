import type { Me } from '@athenaeum/contracts';
import { describe, expect, it } from 'vitest';
import { canCurateWork, workIdFrom } from './WorkClustering';

const ID = '0190f3c4-1a2b-7c3d-8e4f-5a6b7c8d9e0f';

const person = (grants: Array<[string, string]>, isPlatformAdmin = false) =>
  ({
    isPlatformAdmin,
    roles: grants.map(([organizationId, role]) => ({ role, organization: { id: organizationId } })),
  }) as unknown as Me;

describe('the clustering section of a work page', () => {
  it('is for staff and admins of a library holding a record, and platform admins', () => {
    expect(canCurateWork(person([['a', 'staff']]), ['a', 'b'])).toBe(true);
    expect(canCurateWork(person([['b', 'admin']]), ['a', 'b'])).toBe(true);
    expect(canCurateWork(person([['a', 'patron']]), ['a'])).toBe(false);
    expect(canCurateWork(person([['c', 'staff']]), ['a', 'b'])).toBe(false);
    expect(canCurateWork(person([], true), ['a'])).toBe(true);
    expect(canCurateWork(null, ['a'])).toBe(false);
  });

  it("reads the other work's id from its address or the id itself", () => {
    expect(workIdFrom(`https://catalogue.example.org/works/${ID}`)).toBe(ID);
    expect(workIdFrom(`  ${ID.toUpperCase()} `)).toBe(ID);
    expect(workIdFrom('/works/not-a-work')).toBeNull();
    expect(workIdFrom('')).toBeNull();
  });
});
