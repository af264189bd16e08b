import type { IllRequest } from '@athenaeum/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { PageTitle } from '../../../components/Page';
import { ActionOutcome, QueryResult } from '../../../components/states';
import { type Say, useSay } from '../../../components/useSay';
import { useFormat } from '../../../lib/format';
import { cancelMyIll, myIllQuery } from './api';
import { CardList } from '../patron/CardList';
import { IllSummary } from './IllPage';
import '../patron/patron.css';

/** The patron's inter-library loan requests: where each stands, its steps, and cancelling while still possible. */
export function MyIllPage() {
  const { t } = useTranslation('circulation');
  const list = useQuery(myIllQuery);
  const [message, say] = useSay();
  return (
    <div className="my-holds">
      <PageTitle>{t('ill.mine')}</PageTitle>
      <p>{t('family.ill.pageIntro')}</p>
      <ActionOutcome message={message} />
      <QueryResult query={list} isEmpty={(data) => data.length === 0} empty={t('family.ill.none')}>
        {(data) => <CardList items={data}>{(request) => <MyIllCard request={request} say={say} />}</CardList>}
      </QueryResult>
    </div>
  );
}

function MyIllCard({ request, say }: { request: IllRequest; say: Say }) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  const client = useQueryClient();
  const title = request.title ?? t('holds.untitled');
  return (
    <article className="hold-card" aria-labelledby={`ill-${request.id}`}>
      <IllSummary request={request} other="lender" />
      <p>{t('family.ill.requestedOn', { date: format.date(request.createdAt) })}</p>
      {request.note ? <p>{t('family.ill.noteShown', { note: request.note })}</p> : null}
      {request.actions.includes('cancel') ? (
        <ConfirmDialog
          trigger={t('family.ill.cancel')}
          triggerLabel={t('family.ill.cancelTitle', { title })}
          title={t('family.ill.cancelConfirm.title', { title })}
          confirmLabel={t('family.ill.cancelConfirm.confirm')}
          dismissLabel={t('family.ill.cancelConfirm.keep')}
          // The request stays in the list, now cancelled: its heading; the page's if it is gone.
          focusAfter={() => document.getElementById(`ill-${request.id}`) ?? document.querySelector('h1')}
          onConfirm={async () => {
            await cancelMyIll(request.id);
            await client.invalidateQueries({ queryKey: ['ill', 'mine'] });
            say(true, t('family.ill.cancelled', { title }));
          }}
        >
          <p>{t('family.ill.cancelConfirm.text')}</p>
        </ConfirmDialog>
      ) : null}
    </article>
  );
}
