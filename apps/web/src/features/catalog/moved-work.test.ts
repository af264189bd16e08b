import { describe, expect, it } from 'vitest';
import { movedWorkId } from './moved-work';

const OLD = '0190f3c4-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const NEW = '0190f3c4-1a2b-7c3d-8e4f-000000000001';

describe('a work page whose work moved', () => {
  it('goes to the work the API served when it is another one', () => {
    expect(movedWorkId(OLD, { id: NEW })).toBe(NEW);
  });

  it('stays on the work asked for, whatever the case of its id, and while nothing is served', () => {
    expect(movedWorkId(OLD, { id: OLD })).toBeNull();
    expect(movedWorkId(OLD.toUpperCase(), { id: OLD })).toBeNull();
    expect(movedWorkId(OLD, undefined)).toBeNull();
  });
});
