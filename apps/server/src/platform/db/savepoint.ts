import { sql } from 'kysely';
import type { AnyDb } from './database.js';

/**
 * Runs `work` inside a savepoint of the transaction `trx`: if it throws, what it did is undone,
 * the transaction can go on, and the error is thrown on.
 */
export async function inSavepoint<T>(trx: AnyDb, work: () => Promise<T>): Promise<T> {
  await sql`savepoint athenaeum_step`.execute(trx);
  try {
    const result = await work();
    await sql`release savepoint athenaeum_step`.execute(trx);
    return result;
  } catch (error) {
    // Rolled back to, a savepoint stays; released, an enclosing one of the same name is next.
    await sql`rollback to savepoint athenaeum_step`.execute(trx);
    await sql`release savepoint athenaeum_step`.execute(trx);
    throw error;
  }
}

/**
 * Whether the database refused a value it was given (SQLSTATE class 22, data exception, such as
 * a character its encoding cannot hold; an index entry too large; a check constraint), as opposed
 * to failing for a reason of its own.
 */
export function isRefusedValue(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code === '54000' || code === '23514');
}
