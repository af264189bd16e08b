import { seedAccountsDemo, type DemoSignIn } from '../modules/accounts/index.js';
import { queueDemoCatalog } from '../modules/catalog/index.js';
import { seedCirculationDemo } from '../modules/circulation/index.js';
import type { AppContext } from '../platform/context/context.js';

export interface DemoSummary {
  signIns: DemoSignIn[];
  organizations: Record<string, string>;
}

/** Builds the demo network by calling each module's own seed, in dependency order; the catalogue is queued. */
export async function seedDemoNetwork(ctx: AppContext): Promise<DemoSummary> {
  const accounts = await seedAccountsDemo(ctx);
  const orgs = accounts.organizations;
  // Libraries are the codes without a hyphen; their branches are "<LIBRARY>-<BRANCH>".
  const libraries = Object.fromEntries(Object.entries(orgs).filter(([code]) => accounts.kinds[code] === 'library'));
  const branches = Object.fromEntries(
    Object.keys(libraries).map((lib) => [
      lib,
      Object.fromEntries(
        Object.entries(orgs)
          .filter(([code]) => accounts.kinds[code] === 'branch' && code.startsWith(`${lib}-`))
          .map(([code, id]) => [code, id]),
      ),
    ]),
  );
  // The catalogue loads in the background (a job): the server is ready in seconds.
  await queueDemoCatalog(ctx, { libraries, branches });
  await seedCirculationDemo(ctx, { libraries, branches });
  return { signIns: accounts.signIns, organizations: orgs };
}

/** The lines printed at start so a newcomer can sign in. */
export function formatSignIns(signIns: DemoSignIn[]): string {
  const width = Math.max(...signIns.map((s) => s.email.length));
  return [
    'Demo sign-ins (password for all: ' + (signIns[0]?.password ?? '') + '):',
    ...signIns.map((s) => `  ${s.email.padEnd(width)}  ${s.who}`),
  ].join('\n');
}
