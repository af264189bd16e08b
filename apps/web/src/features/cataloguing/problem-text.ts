import type { MarcProblem } from '@athenaeum/contracts';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api';
import { useCatalogProblem } from '../catalog/labels';

/** A list of allowed characters ("01", " 23") as readers see it: "0, 1", "blank, 2, 3". */
function allowed(expected: string | undefined, blank: string): string {
  if (!expected) return '';
  if (expected === '0-9') return '0–9';
  return [...expected].map((c) => (c === ' ' ? blank : c)).join(', ');
}

// Problems whose `expected` is a number (a length), not a list of allowed characters.
const EXPECTS_NUMBER = new Set<MarcProblem['code']>(['FIXED_FIELD_LENGTH', 'FIELD_TOO_LONG', 'RECORD_TOO_LONG']);

/** A validation problem in the interface language. */
export function useProblemText(): (problem: MarcProblem) => string {
  const { t } = useTranslation('cataloguing');
  return (problem) => {
    const blank = t('problems.blank');
    const shown = (v: string | undefined) => (v === ' ' ? blank : (v ?? ''));
    return t(`problems.${problem.code}`, {
      tag: problem.tag ?? '',
      value: shown(problem.value),
      expected: EXPECTS_NUMBER.has(problem.code) ? (problem.expected ?? '') : allowed(problem.expected, blank),
      indicator: problem.indicator ?? '',
      position: problem.position ?? '',
      subfieldCode: problem.subfieldCode ? `$${problem.subfieldCode}` : '',
    });
  };
}

/** Where a problem is, for the summary: the leader, field N (tag), or the record. */
export function useProblemPlace(): (problem: MarcProblem) => string {
  const { t } = useTranslation('cataloguing');
  return (problem) =>
    problem.code.startsWith('LEADER_')
      ? t('problems.inLeader')
      : problem.field === undefined
        ? t('problems.inRecord')
        : t('problems.inField', { n: problem.field + 1, tag: problem.tag ?? '' });
}

const CODES = [
  'CATALOG_RECORD_NOT_FOUND',
  'CATALOG_RECORD_DELETED',
  'CATALOG_RECORD_INVALID',
  'CATALOG_RECORD_CHANGED',
  'CATALOG_RECORD_KEY_TAKEN',
  'CATALOG_NOT_A_LIBRARY',
  'CATALOG_ITEM_NOT_FOUND',
  'CATALOG_ITEM_BARCODE_TAKEN',
  'CATALOG_ITEM_IN_CIRCULATION',
  'CATALOG_ITEM_BRANCH_INVALID',
  'CATALOG_ITEM_STATUS_RESERVED',
] as const;

/** A failed cataloguing call in the interface language. */
export function useCataloguingProblem(): (error: unknown) => string {
  const { t } = useTranslation('cataloguing');
  const general = useCatalogProblem();
  return (error) => {
    if (error instanceof ApiError && (CODES as readonly string[]).includes(error.code)) {
      const barcode = (error.problem as { barcode?: string } | null)?.barcode ?? '';
      return t(`errors.${error.code as (typeof CODES)[number]}`, { barcode });
    }
    return general(error);
  };
}
