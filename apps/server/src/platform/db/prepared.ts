import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { createHash } from 'node:crypto';
import type pg from 'pg';

// Short parameterised statements are the desk's and the API's bread and butter: a check-out runs
// twenty of them. Sent unnamed, PostgreSQL parses and plans each one every time, which costs more
// than running it. Named, each connection parses it once and keeps the plan. Long statements
// (searches) stay unnamed: their plans depend on the values. A long statement whose plan does not
// (a bulk insert of a fixed number of rows, parsed and planned in about as long as it takes to
// run) asks to be named by starting with PREPARE_ALWAYS.
const MAX_TEXT = 1_200;
const MAX_PARAMETERS = 32;
// A connection keeps each statement it prepared; past this many distinct texts, new ones go unnamed.
const MAX_STATEMENTS = 2_000;

/** Marks a statement to be named (prepared once per connection) whatever its length. */
export const PREPARE_ALWAYS = '/* prepare */ ';

const names = new Map<string, string>();

/** The statement name for a text, or null when it should go unnamed. */
export function statementName(text: string, parameterCount: number): string | null {
  if (parameterCount === 0) return null;
  if (!text.startsWith(PREPARE_ALWAYS) && (parameterCount > MAX_PARAMETERS || text.length > MAX_TEXT)) return null;
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_STATEMENTS) return null;
    // After the text, so that every process gives a statement the same name: the embedded
    // database's connections (from the server, the CLI) share one session (pglite-protocol.ts).
    name = `ath_${createHash('sha256').update(text).digest('base64url').slice(0, 40)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A pool whose clients send short parameterised statements as named (prepared) statements. On
 * the embedded database every connection shares one session, which keeps a statement once for
 * them all: the server answers a connection's Parse of a statement it holds itself
 * (pglite-protocol.ts).
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const query = (textOrCursor: unknown, parameters?: ReadonlyArray<unknown>) => {
        if (typeof textOrCursor === 'string' && parameters) {
          const name = statementName(textOrCursor, parameters.length);
          if (name) return client.query({ name, text: textOrCursor, values: [...parameters] });
          return client.query(textOrCursor, [...parameters]);
        }
        return client.query(textOrCursor as pg.Submittable);
      };
      return { query, release: () => client.release() } as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}
