import * as contracts from '@athenaeum/contracts';
import { describe, expect, it } from 'vitest';
import { ORGANIZATION_KINDS, ROLES_BY_KIND, RTL_LOCALES, SUPPORTED_LOCALES } from './domain';

describe("the web app's copy of the API vocabularies", () => {
  it('equals the contracts', () => {
    expect(SUPPORTED_LOCALES).toEqual(contracts.SUPPORTED_LOCALES);
    expect(RTL_LOCALES).toEqual(contracts.RTL_LOCALES);
    expect(ORGANIZATION_KINDS).toEqual(contracts.ORGANIZATION_KINDS);
    expect(ROLES_BY_KIND).toEqual(contracts.ROLES_BY_KIND);
  });
});
