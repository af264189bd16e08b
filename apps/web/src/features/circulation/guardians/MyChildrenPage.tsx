import type { Hold, LinkedPatron, MyLoan } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { TextInput } from '../../../components/forms';
import { useOrgName } from '../../../components/OrgName';
import { PageTitle } from '../../../components/Page';
import { ActionOutcome, QueryResult } from '../../../components/states';
import { type Say, useSay } from '../../../components/useSay';
import { useFormat } from '../../../lib/format';
import { useProblemMessage } from '../../../lib/problems';
import { usePersonName } from '../person-name';
import { useOrganizations } from '../../catalog/organizations';
import {
  cancelChildHold,
  changeChildHold,
  childHoldsQuery,
  childLoansQuery,
  myChildrenQuery,
  renewChildLoan,
} from './api';
import { CardList } from '../patron/CardList';
import '../patron/patron.css';

/** A guardian's page: each child's loans (renew) and holds (suspend, resume, cancel). */
export function MyChildrenPage() {
  const { t } = useTranslation('circulation');
  const children = useQuery(myChildrenQuery);
  const [message, say] = useSay();
  return (
    <div className="my-holds">
      <PageTitle>{t('family.children.title')}</PageTitle>
      <p>{t('family.children.intro')}</p>
      <ActionOutcome message={message} />
      <QueryResult query={children} isEmpty={(data) => data.items.length === 0} empty={t('family.children.none')}>
        {(data) => data.items.map((child) => <ChildSection key={child.id} child={child} say={say} />)}
      </QueryResult>
    </div>
  );
}

function ChildSection({ child, say }: { child: LinkedPatron; say: Say }) {
  const { t } = useTranslation('circulation');
  const orgName = useOrgName();
  const personName = usePersonName();
  const library = useOrganizations([child.libraryId]).get(child.libraryId);
  const loans = useQuery(childLoansQuery(child.id));
  const holds = useQuery(childHoldsQuery(child.id));
  const heading = `child-${child.id}`;
  return (
    <section aria-labelledby={heading} className="panel">
      <h2 id={heading}>
        <bdi dir="auto">{personName(child)}</bdi>
      </h2>
      <p>{t('family.children.card', { card: child.cardNumber, library: library ? orgName(library.names) : '' })}</p>
      <h3 id={`${heading}-loans`}>{t('family.children.loans')}</h3>
      <QueryResult query={loans} isEmpty={(data) => data.items.length === 0} empty={t('family.children.noLoans')}>
        {(data) => (
          <CardList items={data.items} labelledBy={`${heading}-loans`}>
            {(loan) => <ChildLoan child={child} loan={loan} say={say} />}
          </CardList>
        )}
      </QueryResult>
      <h3 id={`${heading}-holds`} tabIndex={-1}>
        {t('family.children.holds')}
      </h3>
      <QueryResult query={holds} isEmpty={(data) => data.length === 0} empty={t('family.children.noHolds')}>
        {(data) => (
          <CardList items={data} labelledBy={`${heading}-holds`}>
            {(hold) => <ChildHold child={child} hold={hold} say={say} />}
          </CardList>
        )}
      </QueryResult>
    </section>
  );
}

function ChildLoan({ child, loan, say }: { child: LinkedPatron; loan: MyLoan; say: Say }) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  const problem = useProblemMessage();
  const client = useQueryClient();
  const title = loan.item.title ?? t('holds.untitled');
  const renew = useMutation({
    mutationFn: () => renewChildLoan(child.id, loan.id),
    onSuccess: async (renewed) => {
      say(true, t('holds.renewed', { date: format.zonedDateTime(renewed.dueAt, renewed.timeZone) }));
      await client.invalidateQueries({ queryKey: ['children', child.id, 'loans'] });
    },
    onError: (error) => say(false, t('holds.refused', { reason: problem(error) })),
  });
  const overdue = new Date(loan.dueAt) < new Date();
  return (
    <article className="hold-card" aria-labelledby={`loan-${loan.id}`}>
      <h4 id={`loan-${loan.id}`}>
        <bdi dir="auto">{title}</bdi>
      </h4>
      <p className={overdue ? 'hold-status hold-status-expired' : undefined}>
        {overdue
          ? t('family.children.overdue', { date: format.zonedDateTime(loan.dueAt, loan.timeZone) })
          : t('holds.due', { date: format.zonedDateTime(loan.dueAt, loan.timeZone) })}
      </p>
      <p>{t('family.children.renewals', { used: loan.renewals, allowed: loan.renewalsAllowed })}</p>
      <Button
        className="button"
        onPress={() => renew.mutate()}
        isDisabled={renew.isPending}
        aria-label={t('family.children.renew', { title })}
      >
        {t('holds.renew')}
      </Button>
    </article>
  );
}

function ChildHold({ child, hold, say }: { child: LinkedPatron; hold: Hold; say: Say }) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  const problem = useProblemMessage();
  const client = useQueryClient();
  const [until, setUntil] = useState('');
  const title = hold.title ?? t('holds.untitled');
  const refresh = () => client.invalidateQueries({ queryKey: ['children', child.id, 'holds'] });
  const fail = (error: unknown) => say(false, t('holds.refused', { reason: problem(error) }));
  const change = useMutation({
    mutationFn: (suspendedUntil: string | null) => changeChildHold(child.id, hold.id, { suspendedUntil }),
    onSuccess: async () => {
      say(true, t('holds.saved'));
      await refresh();
    },
    onError: fail,
  });
  const movable = hold.status === 'waiting' || hold.status === 'pull';
  const suspended = hold.suspendedUntil && new Date(hold.suspendedUntil) > new Date();
  return (
    <article className="hold-card" aria-labelledby={`hold-${hold.id}`}>
      <h4 id={`hold-${hold.id}`}>
        <Link to="/works/$id" params={{ id: hold.workId }}>
          <bdi dir="auto">{title}</bdi>
        </Link>
      </h4>
      <p className={`hold-status hold-status-${hold.status}`}>{t(`holds.status.${hold.status}`)}</p>
      <ul className="hold-facts">
        <li>{t('holds.placedOn', { date: format.date(hold.placedAt) })}</li>
        {hold.status === 'ready' && hold.expiresAt ? (
          <li>
            <strong>{t('holds.readyUntil', { date: format.dateTime(hold.expiresAt) })}</strong>
          </li>
        ) : null}
        {suspended ? <li>{t('holds.suspendedUntil', { date: format.date(hold.suspendedUntil!) })}</li> : null}
      </ul>
      <div className="hold-actions">
        {movable && suspended ? (
          <Button className="button" onPress={() => change.mutate(null)} isDisabled={change.isPending}>
            {t('holds.resume')}
          </Button>
        ) : movable ? (
          <div className="inline-form">
            <TextInput label={t('holds.suspendUntil')} type="date" value={until} onChange={setUntil} />
            <Button className="button" isDisabled={!until || change.isPending} onPress={() => change.mutate(until)}>
              {t('holds.suspend')}
            </Button>
          </div>
        ) : null}
        <ConfirmDialog
          trigger={t('holds.cancel')}
          triggerLabel={t('family.children.cancelHold', { title })}
          title={t('holds.cancelConfirm.title', { title })}
          confirmLabel={t('holds.cancelConfirm.confirm')}
          dismissLabel={t('holds.cancelConfirm.keep')}
          focusAfter={() => document.getElementById(`child-${child.id}-holds`)}
          onConfirm={async () => {
            await cancelChildHold(child.id, hold.id);
            await refresh();
            say(true, t('holds.cancelled'));
          }}
        >
          <p>{t('holds.cancelConfirm.text')}</p>
        </ConfirmDialog>
      </div>
    </article>
  );
}
