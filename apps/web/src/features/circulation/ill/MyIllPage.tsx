import type { IllRequest } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../../components/Page';
import { ActionOutcome, QueryResult } from '../../../components/states';
import { type Say, useSay } from '../../../components/useSay';
import { useFormat } from '../../../lib/format';
import { useProblemMessage } from '../../../lib/problems';
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
  const problem = useProblemMessage();
  const client = useQueryClient();
  const title = request.title ?? t('holds.untitled');
  const cancel = useMutation({
    mutationFn: () => cancelMyIll(request.id),
    onSuccess: async () => {
      say(true, t('family.ill.cancelled', { title }));
      await client.invalidateQueries({ queryKey: ['ill', 'mine'] });
    },
    onError: (error) => say(false, t('holds.refused', { reason: problem(error) })),
  });
  return (
    <article className="hold-card" aria-labelledby={`ill-${request.id}`}>
      <IllSummary request={request} other="lender" />
      <p>{t('family.ill.requestedOn', { date: format.date(request.createdAt) })}</p>
      {request.note ? <p>{t('family.ill.noteShown', { note: request.note })}</p> : null}
      {request.actions.includes('cancel') ? (
        <Button
          className="button button-danger"
          onPress={() => cancel.mutate()}
          isDisabled={cancel.isPending}
          aria-label={t('family.ill.cancelTitle', { title })}
        >
          {t('family.ill.cancel')}
        </Button>
      ) : null}
    </article>
  );
}
