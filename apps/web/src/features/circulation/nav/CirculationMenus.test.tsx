import { describe, expect, it } from 'vitest';
import { staffPageTarget } from './CirculationMenus';

const LIBRARY = '00000000-0000-4000-8000-0000000000b1';

describe("the staff menu's items", () => {
  it('lead from "New record" to a new record for that library’s catalogue', () => {
    expect(staffPageTarget(`${LIBRARY}/new-record`)).toEqual({ to: '/cataloguing/new', search: { library: LIBRARY } });
  });

  it('lead elsewhere to the library’s own pages, importing records among them', () => {
    expect(staffPageTarget(`${LIBRARY}/catalog-imports`)).toEqual({
      to: '/organizations/$id/catalog-imports',
      params: { id: LIBRARY },
    });
    expect(staffPageTarget(`${LIBRARY}/circulation`)).toEqual({
      to: '/organizations/$id/circulation',
      params: { id: LIBRARY },
    });
  });
});
