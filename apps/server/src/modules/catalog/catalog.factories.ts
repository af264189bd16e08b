// Test factories for the catalog module (used by other modules' tests only).
/** A MARC record from a compact notation: record(leader, ['001 id', '245 10$aTitle']). */
export { record as marcRecord } from './normalize/marc-fixtures.js';
