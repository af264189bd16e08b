// Ids in the database are uuid columns: a string that is not a UUID must be refused before it
// reaches a query, where PostgreSQL would fail the whole statement ("invalid input syntax for
// type uuid") and the caller would see a server error instead of a refusal.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `text` is a UUID as PostgreSQL's uuid type reads it in its canonical form (any case). */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
