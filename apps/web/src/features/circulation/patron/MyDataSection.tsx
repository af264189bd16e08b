import type { PatronData, PatronDataExport } from '@athenaeum/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { DataTable } from '../../../components/DataTable';
import { PageTitle } from '../../../components/Page';
import { ActionOutcome, Empty, ErrorState, Loading } from '../../../components/states';
import { api, ApiError } from '../../../lib/api';
import { useFormat } from '../../../lib/format';
import { useProblemMessage } from '../../../lib/problems';
import './patron.css';

const myDataQuery = {
  queryKey: ['circulation', 'my-data'],
  queryFn: async (): Promise<PatronDataExport | null> => {
    try {
      return await api<PatronDataExport>('/me/patron-data');
    } catch (error) {
      // No patron record anywhere: nothing is held.
      if (error instanceof ApiError && error.code === 'CIRCULATION_NOT_A_PATRON') return null;
      throw error;
    }
  },
};

function saveJson(data: PatronDataExport) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `patron-data-${data.generatedAt.slice(0, 10)}.json`;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** The patron's own data: download it all, keep a reading history or not, ask for deletion. */
export function MyDataPage() {
  const { t } = useTranslation('circulation');
  const data = useQuery(myDataQuery);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  return (
    <div className="my-data">
      <PageTitle>{t('myData.title')}</PageTitle>
      <ActionOutcome message={message} />
      <section aria-labelledby="my-data-heading" className="panel">
        <h2 id="my-data-heading" tabIndex={-1}>
          {t('myData.heading')}
        </h2>
        <p>{t('myData.intro')}</p>
        {data.isPending ? (
          <Loading />
        ) : data.isError ? (
          <ErrorState error={data.error} onRetry={() => void data.refetch()} />
        ) : data.data === null ? (
          <Empty>{t('myData.none')}</Empty>
        ) : (
          <>
            <Button
              className="button button-primary"
              onPress={() => {
                saveJson(data.data!);
                setMessage({ ok: true, text: t('myData.downloaded') });
              }}
            >
              {t('myData.download')}
            </Button>
            <ul className="my-data-records">
              {data.data.records.map((record) => (
                <RecordItem key={record.patron.id} record={record} say={(ok, text) => setMessage({ ok, text })} />
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}

type EndedLoan = PatronData['readingHistory'][number];

/** The loans a patron chose to keep a history of, newest return first. */
export function ReadingHistory({ loans, card }: { loans: EndedLoan[]; card: string }) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  if (loans.length === 0) return null;
  const newestFirst = [...loans].sort((a, b) => (b.returnedAt ?? '').localeCompare(a.returnedAt ?? ''));
  return (
    <DataTable
      caption={t('myData.history.caption', { card })}
      columns={[
        t('myData.history.title'),
        t('myData.history.author'),
        t('myData.history.borrowed'),
        t('myData.history.returned'),
      ]}
    >
      {newestFirst.map((loan) => (
        <tr key={loan.id}>
          <td>{loan.item.title ?? t('myData.history.untitled')}</td>
          <td>{loan.item.author ?? ''}</td>
          <td>{format.date(loan.checkedOutAt)}</td>
          <td>{loan.returnedAt ? format.date(loan.returnedAt) : ''}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function RecordItem({ record, say }: { record: PatronData; say: (ok: boolean, text: string) => void }) {
  const { t } = useTranslation('circulation');
  const problem = useProblemMessage();
  const queryClient = useQueryClient();
  const { patron } = record;
  const refresh = () => queryClient.invalidateQueries({ queryKey: myDataQuery.queryKey });
  const [askingToForget, setAskingToForget] = useState(false);
  const saveKeepHistory = async (keepHistory: boolean) => {
    await api(`/me/patrons/${patron.id}/reading-history`, { method: 'PUT', body: { keepHistory } });
    // The box shows the saved choice before the outcome is announced.
    await refresh();
    say(true, keepHistory ? t('myData.historyOn') : t('myData.historyOff'));
  };

  return (
    <li className="my-data-record">
      <h3>{t('myData.card', { card: patron.cardNumber })}</h3>
      <p>
        {t('myData.summary', {
          loans: record.openLoans.length,
          history: record.readingHistory.length,
          holds: record.holds.length,
        })}
      </p>
      <Checkbox
        className="checkbox"
        isSelected={patron.keepHistory}
        onChange={(keepHistory) => {
          // Turning it off forgets what was kept: that is asked first.
          if (keepHistory) void saveKeepHistory(true).catch((error: unknown) => say(false, problem(error)));
          else setAskingToForget(true);
        }}
      >
        <span className="checkbox-box" aria-hidden="true" />
        {t('myData.keepHistory')}
      </Checkbox>
      <ConfirmDialog
        isOpen={askingToForget}
        onOpenChange={setAskingToForget}
        title={t('myData.forget.title')}
        confirmLabel={t('myData.forget.confirm')}
        dismissLabel={t('myData.forget.keep')}
        onConfirm={() => saveKeepHistory(false)}
      >
        <p>{t('myData.forget.text')}</p>
      </ConfirmDialog>
      <ReadingHistory loans={record.readingHistory} card={patron.cardNumber} />
      <ConfirmDialog
        trigger={t('myData.delete')}
        triggerLabel={t('myData.deleteFor', { card: patron.cardNumber })}
        title={t('myData.confirmTitle')}
        confirmLabel={t('myData.confirm')}
        focusAfter={() => document.getElementById('my-data-heading')}
        onConfirm={async () => {
          try {
            await api('/me/patron-data/deletion', { method: 'POST', body: { patronId: patron.id } });
            say(true, t('myData.deleted'));
            await refresh();
          } catch (error) {
            if (!(error instanceof ApiError) || error.code !== 'CIRCULATION_DELETION_REFUSED') throw error;
            const refusal = error.problem as unknown as { openLoans?: number; activeInterLibraryLoans?: number };
            say(
              false,
              t('myData.refused', { loans: refusal.openLoans ?? 0, ill: refusal.activeInterLibraryLoans ?? 0 }),
            );
          }
        }}
      >
        <p>{t('myData.confirmText')}</p>
      </ConfirmDialog>
    </li>
  );
}
