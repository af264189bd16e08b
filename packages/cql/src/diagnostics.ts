// The SRU diagnostics that concern queries (info:srw/diagnostic/1/10 to /49), with the wording
// of the SRU diagnostics list. The parser raises 10, 13, 14 and 38; the others are defined here
// so the server reports unsupported features with the same class and the same numbers.
export const CQL_DIAGNOSTIC_MESSAGES = {
  10: 'Query syntax error',
  11: 'Unsupported query type',
  12: 'Too many characters in query',
  13: 'Invalid or unsupported use of parentheses',
  14: 'Invalid or unsupported use of quotes',
  15: 'Unsupported context set',
  16: 'Unsupported index',
  18: 'Unsupported combination of indexes',
  19: 'Unsupported relation',
  20: 'Unsupported relation modifier',
  21: 'Unsupported combination of relation modifers',
  22: 'Unsupported combination of relation and index',
  23: 'Too many characters in term',
  24: 'Unsupported combination of relation and term',
  26: 'Non special character escaped in term',
  27: 'Empty term unsupported',
  28: 'Masking character not supported',
  29: 'Masked words too short',
  30: 'Too many masking characters in term',
  31: 'Anchoring character not supported',
  32: 'Anchoring character in unsupported position',
  33: 'Combination of proximity/adjacency and masking characters not supported',
  34: 'Combination of proximity/adjacency and anchoring characters not supported',
  35: 'Term contains only stopwords',
  36: 'Term in invalid format for index or relation',
  37: 'Unsupported boolean operator',
  38: 'Too many boolean operators in query',
  39: 'Proximity not supported',
  40: 'Unsupported proximity relation',
  41: 'Unsupported proximity distance',
  42: 'Unsupported proximity unit',
  43: 'Unsupported proximity ordering',
  44: 'Unsupported combination of proximity modifiers',
  46: 'Unsupported boolean modifier',
  47: 'Cannot process query; reason unknown',
  48: 'Query feature unsupported',
  49: 'Masking character in unsupported position',
} as const;

export type CqlDiagnosticCode = keyof typeof CQL_DIAGNOSTIC_MESSAGES;

export const SRU_DIAGNOSTIC_PREFIX = 'info:srw/diagnostic/1/';

export class CqlDiagnostic extends Error {
  override readonly name = 'CqlDiagnostic';
  /** The SRU diagnostic URI, e.g. `info:srw/diagnostic/1/10`. */
  readonly uri: string;
  /** The standard SRU message for the code, e.g. "Query syntax error". */
  readonly title: string;

  constructor(
    readonly code: CqlDiagnosticCode,
    /** What exactly is wrong, for a person. */
    readonly details: string,
    /** UTF-16 offset in the query where the problem is, or null when it is not about one place. */
    readonly position: number | null = null,
  ) {
    const title = CQL_DIAGNOSTIC_MESSAGES[code];
    super(position === null ? `${title}: ${details}` : `${title} at character ${position}: ${details}`);
    this.uri = SRU_DIAGNOSTIC_PREFIX + code;
    this.title = title;
  }
}
