// SRU diagnostics (info:srw/diagnostic/1/N) for requests, beside the query diagnostics of
// @athenaeum/cql (10–49). Messages as in the SRU diagnostics list.
import { CQL_DIAGNOSTIC_MESSAGES, SRU_DIAGNOSTIC_PREFIX } from '@athenaeum/cql';

const MESSAGES: Record<number, string> = {
  1: 'General system error',
  4: 'Unsupported operation',
  5: 'Unsupported version',
  6: 'Unsupported parameter value',
  7: 'Mandatory parameter not supplied',
  8: 'Unsupported parameter',
  61: 'First record position out of range',
  66: 'Unknown schema for retrieval',
  71: 'Unsupported record packing',
  72: 'XPath retrieval unsupported',
  80: 'Sort not supported',
  110: 'Stylesheets not supported',
  120: 'Response position out of range',
  ...CQL_DIAGNOSTIC_MESSAGES,
};

export interface SruDiagnostic {
  code: number;
  uri: string;
  message: string;
  details: string;
}

/** A diagnostic by number, with what exactly was wrong. */
export function diagnostic(code: number, details: string): SruDiagnostic {
  return { code, uri: `${SRU_DIAGNOSTIC_PREFIX}${code}`, message: MESSAGES[code] ?? 'Unknown diagnostic', details };
}

/** Thrown to answer with fatal diagnostics. */
export class SruFailure extends Error {
  constructor(readonly diagnostics: SruDiagnostic[]) {
    super(diagnostics.map((d) => `${d.uri}: ${d.details}`).join('; '));
    this.name = 'SruFailure';
  }
}

export const fail = (code: number, details: string) => new SruFailure([diagnostic(code, details)]);
