import type { AccruingFine, Fine, FineSummary } from '@athenaeum/contracts';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useOrgName } from '../../../components/OrgName';
import { Empty, ErrorState, Loading } from '../../../components/states';
import { languageTag } from '../../../app/i18n';
import { api } from '../../../lib/api';
import { useFormat } from '../../../lib/format';
import { CardList } from './CardList';

export const myFinesQuery = {
  queryKey: ['fines', 'mine'] as const,
  queryFn: () => api<FineSummary>('/me/fines'),
};

/** Formats whole minor units (cents) of a currency in the interface language. */
export function useMoney() {
  const { i18n } = useTranslation();
  const tag = languageTag(i18n.resolvedLanguage ?? i18n.language);
  return (minor: number, currency: string) => {
    const format = new Intl.NumberFormat(tag, { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minor / 10 ** digits);
  };
}

/** What an overdue loan is accruing, in a sentence: the title, since when, for how many days, how much. */
export function Accrual({ accrual }: { accrual: AccruingFine }) {
  const { t } = useTranslation('fines');
  const format = useFormat();
  const money = useMoney();
  return t('mine.accruing', {
    title: accrual.item.title ?? accrual.item.barcode,
    date: format.date(accrual.dueAt),
    days: format.number(accrual.daysOverdue),
    amount: money(accrual.amount, accrual.currency),
  });
}

const REASONS = ['overdue'] as const;
const isReason = (r: string): r is (typeof REASONS)[number] => (REASONS as readonly string[]).includes(r);

/** The patron's fines at every library (open and settled) and what their overdue loans are accruing. */
export function MyFinesSection() {
  const { t } = useTranslation('fines');
  const format = useFormat();
  const orgName = useOrgName();
  const money = useMoney();
  const fines = useQuery(myFinesQuery);
  const describe = (fine: Fine) => (isReason(fine.reason) ? t(`reason.${fine.reason}`) : fine.reason);
  return (
    <section aria-labelledby="my-fines-heading" className="panel">
      <h2 id="my-fines-heading">{t('mine.heading')}</h2>
      {fines.isPending ? (
        <Loading />
      ) : fines.isError ? (
        <ErrorState error={fines.error} onRetry={() => void fines.refetch()} />
      ) : (
        <>
          {fines.data.fines.length === 0 && fines.data.accruing.length === 0 ? <Empty>{t('mine.none')}</Empty> : null}
          {fines.data.fines.length > 0 ? (
            <CardList items={fines.data.fines}>
              {(fine) => (
                <article className="hold-card" aria-labelledby={`fine-${fine.id}`}>
                  <h3 id={`fine-${fine.id}`}>
                    {describe(fine)}: {t(`status.${fine.status}`)}
                  </h3>
                  <p>{t('mine.fine', { library: orgName(fine.library.names), date: format.date(fine.createdAt) })}</p>
                  {fine.item?.title ? <p>{t('mine.item', { title: fine.item.title })}</p> : null}
                  <p>{t('mine.amount', { amount: money(fine.amount, fine.currency) })}</p>
                  {fine.status === 'open' ? (
                    <p>
                      <strong>{t('mine.balance', { amount: money(fine.balance, fine.currency) })}</strong>
                    </p>
                  ) : null}
                  {fine.status === 'waived' && fine.waiveReason ? (
                    <p>{t('mine.waived', { reason: fine.waiveReason })}</p>
                  ) : null}
                </article>
              )}
            </CardList>
          ) : null}
          {fines.data.accruing.length > 0 ? (
            <>
              <h3>{t('mine.accruingHeading')}</h3>
              <ul>
                {fines.data.accruing.map((a) => (
                  <li key={a.loanId}>
                    <Accrual accrual={a} />
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
