// OAI-PMH 2.0 request arguments: which verb, which arguments it allows and needs, and the
// protocol's error for each way a request can be wrong (section 3.6 of the specification).

export const OAI_VERBS = [
  'Identify',
  'ListMetadataFormats',
  'ListSets',
  'ListIdentifiers',
  'ListRecords',
  'GetRecord',
] as const;
export type OaiVerb = (typeof OAI_VERBS)[number];

export type OaiErrorCode =
  | 'badArgument'
  | 'badResumptionToken'
  | 'badVerb'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';

export interface OaiError {
  code: OaiErrorCode;
  message: string;
}

/** Thrown by the provider to answer with OAI-PMH errors. */
export class OaiFailure extends Error {
  constructor(readonly errors: OaiError[]) {
    super(errors.map((e) => `${e.code}: ${e.message}`).join('; '));
    this.name = 'OaiFailure';
  }
}

export const oaiError = (code: OaiErrorCode, message: string) => new OaiFailure([{ code, message }]);

const ARGUMENTS: Record<OaiVerb, { required: string[]; optional: string[]; exclusive?: string }> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
};

export interface OaiRequest {
  verb: OaiVerb;
  args: Record<string, string>;
}

const NUL = '\u0000';

/**
 * A NUL character (U+0000) cannot be in an argument (nor in XML, so it is never echoed): in the
 * verb it is badVerb (no verb has it), anywhere else badArgument, one error per argument.
 */
function nulErrors(params: URLSearchParams): OaiError[] {
  const errors: OaiError[] = [];
  for (const [name, value] of params) {
    if (!name.includes(NUL) && !value.includes(NUL)) continue;
    const shown = name.replaceAll(NUL, '\\u0000');
    const error: OaiError =
      name === 'verb'
        ? { code: 'badVerb', message: 'The verb argument contains the NUL character (U+0000).' }
        : {
            code: 'badArgument',
            message: `The argument ${name.includes(NUL) ? 'name ' : ''}"${shown}" contains the NUL character (U+0000).`,
          };
    if (!errors.some((e) => e.message === error.message)) errors.push(error);
  }
  return errors;
}

/**
 * Checks a request's arguments (from the query string or a form body) against its verb.
 * Throws OaiFailure with badVerb (no, unknown or repeated verb) or badArgument (a repeated,
 * illegal or missing argument, a resumption token beside other arguments) — all at once; a NUL
 * character anywhere is answered on its own, first (see nulErrors).
 */
export function parseOaiRequest(params: URLSearchParams): OaiRequest {
  const nul = nulErrors(params);
  if (nul.length) throw new OaiFailure(nul);
  const verbs = params.getAll('verb');
  if (verbs.length === 0) throw oaiError('badVerb', 'The verb argument is missing.');
  if (verbs.length > 1) throw oaiError('badVerb', 'The verb argument is repeated.');
  const verb = verbs[0]!;
  if (!(OAI_VERBS as readonly string[]).includes(verb)) throw oaiError('badVerb', `"${verb}" is not an OAI-PMH verb.`);
  const spec = ARGUMENTS[verb as OaiVerb];
  const errors: OaiError[] = [];
  const args: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of params) {
    if (name === 'verb') continue;
    if (seen.has(name)) {
      if (!errors.some((e) => e.message.includes(`"${name}" is repeated`)))
        errors.push({ code: 'badArgument', message: `The argument "${name}" is repeated.` });
      continue;
    }
    seen.add(name);
    if (![...spec.required, ...spec.optional, spec.exclusive].includes(name)) {
      errors.push({ code: 'badArgument', message: `${verb} does not take the argument "${name}".` });
      continue;
    }
    args[name] = value;
  }
  if (spec.exclusive && args[spec.exclusive] !== undefined) {
    const others = Object.keys(args).filter((k) => k !== spec.exclusive);
    if (others.length)
      errors.push({
        code: 'badArgument',
        message: `${spec.exclusive} is an exclusive argument; it cannot come with ${others.join(', ')}.`,
      });
  } else {
    for (const name of spec.required) {
      if (args[name] === undefined || args[name] === '')
        errors.push({ code: 'badArgument', message: `${verb} needs the argument "${name}".` });
    }
  }
  if (errors.length) throw new OaiFailure(errors);
  return { verb: verb as OaiVerb, args };
}

export type Granularity = 'day' | 'seconds';

/** An OAI-PMH UTCdatetime (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, year 0001 on) read strictly; null when it is not one. */
export function parseOaiDate(value: string): { date: Date; granularity: Granularity } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})Z)?$/.exec(value);
  if (!m || m[1] === '0000') return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year);
  // Date.UTC rolls 2024-02-30 over into March; a real date reads back the same parts.
  const same =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return same ? { date, granularity: m[4] === undefined ? 'day' : 'seconds' } : null;
}

// The first instant after year 9999: an until on the last day of 9999 bounds nothing.
const PAST_LAST_INSTANT = Date.UTC(10_000, 0, 1);

/**
 * from/until as a half-open range of datestamps: from inclusive; until inclusive of its whole
 * second or day (datestamps are shown to the second, so until=…T10:00:00Z includes 10:00:00.9).
 * Years run from 0001 (XML Schema's dates, which OAI-PMH uses, have no year 0000: badArgument)
 * to 9999, whose last day leaves the range open.
 */
export function dateRange(from: string | undefined, until: string | undefined): { from?: string; before?: string } {
  const errors: OaiError[] = [];
  const f = from === undefined ? null : parseOaiDate(from);
  const u = until === undefined ? null : parseOaiDate(until);
  if (from !== undefined && !f)
    errors.push({ code: 'badArgument', message: `from="${from}" is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).` });
  if (until !== undefined && !u)
    errors.push({
      code: 'badArgument',
      message: `until="${until}" is not a date (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).`,
    });
  if (f && u && f.granularity !== u.granularity)
    errors.push({ code: 'badArgument', message: 'from and until must have the same granularity.' });
  if (f && u && f.date > u.date) errors.push({ code: 'badArgument', message: 'until is earlier than from.' });
  if (errors.length) throw new OaiFailure(errors);
  const range: { from?: string; before?: string } = {};
  if (f) range.from = f.date.toISOString();
  if (u) {
    const before = u.date.getTime() + (u.granularity === 'day' ? 86_400_000 : 1_000);
    if (before < PAST_LAST_INSTANT) range.before = new Date(before).toISOString();
  }
  return range;
}
