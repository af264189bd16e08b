import { readItemChangeReason } from '@athenaeum/contracts/vocabulary';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { isolate } from '../bidi';

/**
 * Why a copy's status changed, in the reader's language: the reasons the server writes are read
 * back into messages (`desk.reasons`); a reason typed by staff is shown as they wrote it, isolated.
 */
export function describeItemReason(reason: string, t: TFunction<'circulation'>): string {
  const known = readItemChangeReason(reason);
  if (!known) return isolate(reason);
  switch (known.key) {
    case 'forHold':
      return t('desk.reasons.forHold', { reason: t(`desk.reasons.${known.reason}`) });
    case 'ill':
      return t('desk.reasons.ill', { step: t(`ill.status.${known.status}`) });
    case 'marked':
      return t('desk.reasons.marked', { status: t(`status.${known.status}`) });
    default:
      return t(`desk.reasons.${known.key}`);
  }
}

export function useItemReason(): (reason: string) => string {
  const { t } = useTranslation('circulation');
  return (reason) => describeItemReason(reason, t);
}
