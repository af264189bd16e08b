import type { Hold, HoldOption, IllRequest, MyLoan } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { SelectField, TextInput } from '../../../components/forms';
import { useOrgName } from '../../../components/OrgName';
import { PageTitle } from '../../../components/Page';
import { ActionOutcome, ErrorState, Loading, QueryResult } from '../../../components/states';
import { type Say, useSay } from '../../../components/useSay';
import { useFormat } from '../../../lib/format';
import { api } from '../../../lib/api';
import { useProblemMessage } from '../../../lib/problems';
import { IllSummary } from '../ill/IllPage';
import { CardList } from './CardList';
import { MyFinesSection } from './MyFinesSection';
import {
  bookPickup,
  cancelHold,
  changeHold,
  holdOptionsQuery,
  myHoldsQuery,
  myLoansQuery,
  pickupSlotsQuery,
  renewMyLoan,
} from './api';
import './patron.css';

/** The patron's own page: holds (cancel, suspend, move the pickup, book a pickup time) and loans (renew). */
export function MyHoldsPage() {
  const { t } = useTranslation('circulation');
  const [closed, setClosed] = useState(false);
  const holds = useQuery(myHoldsQuery(closed));
  const options = useQuery(holdOptionsQuery);
  const loans = useQuery(myLoansQuery);
  const ill = useQuery({ queryKey: ['ill', 'mine'], queryFn: () => api<IllRequest[]>('/me/ill-requests') });
  const [message, say] = useSay();

  return (
    <div className="my-holds">
      <PageTitle>{t('holds.title')}</PageTitle>
      <ActionOutcome message={message} />

      <section aria-labelledby="my-holds-heading" className="panel">
        <h2 id="my-holds-heading" tabIndex={-1}>
          {t('holds.holdsHeading')}
        </h2>
        <Checkbox className="checkbox" isSelected={closed} onChange={setClosed}>
          <span className="checkbox-box" aria-hidden="true" />
          {t('holds.closedHolds')}
        </Checkbox>
        <QueryResult query={holds} isEmpty={(data) => data.length === 0} empty={t('holds.noHolds')}>
          {(data) => (
            <CardList items={data}>
              {(hold) => <HoldCard hold={hold} options={options.data ?? []} say={say} />}
            </CardList>
          )}
        </QueryResult>
      </section>

      {ill.data && ill.data.length > 0 ? (
        <section aria-labelledby="my-ill-heading" className="panel">
          <h2 id="my-ill-heading">{t('ill.mine')}</h2>
          <CardList items={ill.data}>
            {(request) => (
              <article className="hold-card" aria-labelledby={`ill-${request.id}`}>
                <IllSummary request={request} other="lender" />
              </article>
            )}
          </CardList>
        </section>
      ) : null}

      <section aria-labelledby="my-loans-heading" className="panel">
        <h2 id="my-loans-heading">{t('holds.loansHeading')}</h2>
        <QueryResult query={loans} isEmpty={(data) => data.items.length === 0} empty={t('holds.noLoans')}>
          {(data) => <CardList items={data.items}>{(loan) => <LoanCard loan={loan} say={say} />}</CardList>}
        </QueryResult>
      </section>

      <MyFinesSection />
    </div>
  );
}

function HoldCard({ hold, options, say }: { hold: Hold; options: HoldOption[]; say: Say }) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  const orgName = useOrgName();
  const problem = useProblemMessage();
  const client = useQueryClient();
  const branches = options.find((o) => o.patronId === hold.patronId)?.pickupBranches ?? [];
  const branchName = (id: string) => {
    const found = branches.find((b) => b.id === id);
    return found ? orgName(found.names) : '';
  };
  const [until, setUntil] = useState('');
  const [pickup, setPickup] = useState<string | null>(hold.pickupBranchId);
  const refresh = () => client.invalidateQueries({ queryKey: ['holds'] });
  const fail = (error: unknown) => say(false, t('holds.refused', { reason: problem(error) }));
  const change = useMutation({
    mutationFn: (body: { suspendedUntil?: string | null; pickupBranchId?: string }) => changeHold(hold.id, body),
    onSuccess: async () => {
      say(true, t('holds.saved'));
      await refresh();
    },
    onError: fail,
  });
  const title = hold.title ?? t('holds.untitled');
  const open = ['waiting', 'pull', 'in_transit', 'ready'].includes(hold.status);
  const movable = hold.status === 'waiting' || hold.status === 'pull';
  const suspended = hold.suspendedUntil && new Date(hold.suspendedUntil) > new Date();

  return (
    <article className="hold-card" aria-labelledby={`hold-${hold.id}`}>
      <h3 id={`hold-${hold.id}`}>
        <Link to="/works/$id" params={{ id: hold.workId }}>
          <bdi dir="auto">{title}</bdi>
        </Link>
      </h3>
      <p className={`hold-status hold-status-${hold.status}`}>{t(`holds.status.${hold.status}`)}</p>
      <ul className="hold-facts">
        <li>{t('holds.pickupAt', { branch: branchName(hold.pickupBranchId) })}</li>
        <li>{t('holds.placedOn', { date: format.date(hold.placedAt) })}</li>
        {hold.status === 'ready' && hold.expiresAt ? (
          <li>
            <strong>
              {t('holds.readyUntil', { date: format.zonedDateTime(hold.expiresAt, hold.pickupTimeZone) })}
            </strong>
          </li>
        ) : null}
        {suspended ? <li>{t('holds.suspendedUntil', { date: format.date(hold.suspendedUntil!) })}</li> : null}
      </ul>
      {hold.status === 'ready' ? <PickupBooking holdId={hold.id} say={say} /> : null}
      {movable ? (
        <div className="hold-actions">
          {suspended ? (
            <Button className="button" onPress={() => change.mutate({ suspendedUntil: null })}>
              {t('holds.resume')}
            </Button>
          ) : (
            <div className="inline-form">
              <TextInput label={t('holds.suspendUntil')} type="date" value={until} onChange={setUntil} />
              <Button className="button" isDisabled={!until} onPress={() => change.mutate({ suspendedUntil: until })}>
                {t('holds.suspend')}
              </Button>
            </div>
          )}
          {branches.length > 1 ? (
            <div className="inline-form">
              <SelectField
                label={t('holds.changePickup')}
                options={branches.map((b) => ({ id: b.id, label: orgName(b.names) }))}
                value={pickup}
                onChange={setPickup}
              />
              <Button
                className="button"
                isDisabled={!pickup || pickup === hold.pickupBranchId}
                onPress={() => pickup && change.mutate({ pickupBranchId: pickup })}
              >
                {t('holds.changePickup')}
              </Button>
            </div>
          ) : null}
        </div>
      ) : null}
      {open ? (
        <ConfirmDialog
          trigger={t('holds.cancel')}
          triggerLabel={t('holds.cancelFor', { title })}
          title={t('holds.cancelConfirm.title', { title })}
          confirmLabel={t('holds.cancelConfirm.confirm')}
          dismissLabel={t('holds.cancelConfirm.keep')}
          focusAfter={() => document.getElementById('my-holds-heading')}
          onConfirm={async () => {
            await cancelHold(hold.id);
            await refresh();
            say(true, t('holds.cancelled'));
          }}
        >
          <p>{t('holds.cancelConfirm.text')}</p>
        </ConfirmDialog>
      ) : null}
    </article>
  );
}

function PickupBooking({ holdId, say }: { holdId: string; say: Say }) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  const problem = useProblemMessage();
  const client = useQueryClient();
  const slots = useQuery(pickupSlotsQuery(holdId));
  const [choice, setChoice] = useState<string | null>(null);
  const book = useMutation({
    mutationFn: (value: string) => {
      const [slotId, date] = value.split('@') as [string, string];
      return bookPickup(holdId, { slotId, date });
    },
    onSuccess: async (booking) => {
      say(true, t('holds.booked', { date: format.date(booking.startsAt), start: time(booking.startsAt) }));
      await client.invalidateQueries({ queryKey: ['holds', 'slots', holdId] });
    },
    onError: (error) => say(false, t('holds.refused', { reason: problem(error) })),
  });
  const time = (iso: string) => iso.slice(11, 16);
  if (slots.isPending) return <Loading />;
  if (slots.isError) return <ErrorState error={slots.error} />;
  const { occurrences, booking } = slots.data;
  return (
    <div className="pickup-booking">
      <h4>{t('holds.slotsHeading')}</h4>
      {booking ? (
        <p className="booked">
          {t('holds.booked', { date: format.date(booking.startsAt), start: time(booking.startsAt) })}
        </p>
      ) : null}
      {occurrences.length === 0 ? (
        <p>{t('holds.noSlots')}</p>
      ) : (
        <div className="inline-form">
          <SelectField
            label={t('holds.slot')}
            options={occurrences.map((o) => {
              const vars = { date: format.date(o.startsAt), start: time(o.startsAt), end: time(o.endsAt) };
              return {
                id: `${o.slotId}@${o.date}`,
                label:
                  o.booked >= o.capacity
                    ? t('holds.slotFull', vars)
                    : t('holds.slotOption', { ...vars, left: o.capacity - o.booked }),
              };
            })}
            value={choice}
            onChange={setChoice}
          />
          <Button
            className="button button-primary"
            isDisabled={!choice || book.isPending}
            onPress={() => choice && book.mutate(choice)}
          >
            {t('holds.book')}
          </Button>
        </div>
      )}
    </div>
  );
}

function LoanCard({ loan, say }: { loan: MyLoan; say: Say }) {
  const { t } = useTranslation('circulation');
  const { t: fines } = useTranslation('fines');
  const orgName = useOrgName();
  const format = useFormat();
  const problem = useProblemMessage();
  const client = useQueryClient();
  const renew = useMutation({
    mutationFn: () => renewMyLoan(loan.id),
    onSuccess: async (renewed) => {
      say(true, t('holds.renewed', { date: format.zonedDateTime(renewed.dueAt, renewed.timeZone) }));
      await client.invalidateQueries({ queryKey: ['loans'] });
    },
    onError: (error) => say(false, t('holds.refused', { reason: problem(error) })),
  });
  return (
    <article className="hold-card" aria-labelledby={`loan-${loan.id}`}>
      <h3 id={`loan-${loan.id}`}>
        <bdi dir="auto">{loan.item.title ?? t('holds.untitled')}</bdi>
      </h3>
      <p>{t('holds.due', { date: format.zonedDateTime(loan.dueAt, loan.timeZone) })}</p>
      {loan.library ? <p>{fines('mine.lentBy', { library: orgName(loan.library.names) })}</p> : null}
      <Button className="button" onPress={() => renew.mutate()} isDisabled={renew.isPending}>
        {t('holds.renew')}
      </Button>
    </article>
  );
}
