import type { CheckInResult, ItemHistory, ItemStatus, Loan, Me, NetworkPatron, Patron } from '@athenaeum/contracts';
import { ITEM_STATUSES } from '@athenaeum/contracts/vocabulary';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Input, Label, Tab, TabList, TabPanel, Tabs, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { isolate } from '../bidi';
import { usePersonName } from '../person-name';
import { SelectField, TextInput } from '../../../components/forms';
import { useOrgName } from '../../../components/OrgName';
import { PageTitle } from '../../../components/Page';
import { ErrorState, Loading, OutcomeStatus } from '../../../components/states';
import { ApiError } from '../../../lib/api';
import { useFormat } from '../../../lib/format';
import { useProblemMessage } from '../../../lib/problems';
import { useMe } from '../../../lib/session';
import { organizationQuery } from '../../organizations/OrganizationPage';
import { PendingIdentity, SelfRegistrationSettings, useRegistrationRefusal } from '../registration/RegistrationParts';
import {
  checkIn,
  checkOut,
  findPatronByCard,
  ITEM_MARKS,
  itemHistoryQuery,
  markItem,
  renew,
  type ItemMark,
} from './api';
import { NetworkSettingsPanel, PatronFinesPanel } from './FinesPanel';
import { useItemReason } from './item-reason';
import { findNetworkPatrons, isNetworkCode, NetworkChoice, NetworkPatronSummary } from './NetworkPatron';
import './desk.css';

type Outcome = { id: number; ok: boolean; text: string };
type Task = 'checkout' | 'checkin' | 'renew' | 'item';

const CIRCULATION_CODES = [
  'CIRCULATION_PATRON_NOT_FOUND',
  'CIRCULATION_PATRON_BLOCKED',
  'CIRCULATION_MEMBERSHIP_EXPIRED',
  'CIRCULATION_PATRON_INACTIVE',
  'CIRCULATION_LOAN_LIMIT_REACHED',
  'CIRCULATION_ITEM_NOT_FOUND',
  'CIRCULATION_ITEM_ON_LOAN',
  'CIRCULATION_ITEM_ON_HOLD',
  'CIRCULATION_ITEM_NOT_FOR_LOAN',
  'CIRCULATION_ITEM_IN_QUARANTINE',
  'CIRCULATION_ITEM_NOT_ON_LOAN',
  'CIRCULATION_RENEWALS_EXHAUSTED',
  'CIRCULATION_RENEWAL_BLOCKED_BY_HOLD',
  'CIRCULATION_LOAN_ENDED',
  'CIRCULATION_BRANCH_NOT_FOUND',
] as const;
type CirculationCode = (typeof CIRCULATION_CODES)[number];
const isCirculationCode = (code: string): code is CirculationCode =>
  (CIRCULATION_CODES as readonly string[]).includes(code);

const isItemStatus = (s: string): s is ItemStatus => (ITEM_STATUSES as readonly string[]).includes(s);

function useDeskText() {
  const { t } = useTranslation('circulation');
  const { t: network } = useTranslation('fines');
  const problem = useProblemMessage();
  const registration = useRegistrationRefusal();
  return {
    refusal: (error: unknown) => {
      const code = error instanceof ApiError ? error.code : '';
      const reason = isCirculationCode(code)
        ? t(`errors.${code}`)
        : isNetworkCode(code)
          ? network(`errors.${code}`)
          : (registration(error) ?? problem(error));
      return t('desk.refused', { reason });
    },
    status: (status: string) => (isItemStatus(status) ? t(`status.${status}`) : status),
  };
}

/** One scan: a labelled input that keeps focus, submitted with Enter, emptied after each scan. */
function ScanForm({
  label,
  button,
  pending,
  onScan,
  autoFocus = true,
}: {
  label: string;
  button: string;
  pending: boolean;
  onScan: (value: string) => Promise<unknown> | void;
  autoFocus?: boolean;
}) {
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!autoFocus) return;
    // After the press that opened this panel has settled (it focuses the tab), the scanner's field takes focus.
    const timer = setTimeout(() => input.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, [autoFocus]);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const scanned = value.trim();
    if (!scanned) return;
    setValue('');
    await onScan(scanned);
    input.current?.focus();
  };
  return (
    <form className="desk-scan" onSubmit={(e) => void submit(e)}>
      <TextField className="field" value={value} onChange={setValue}>
        <Label>{label}</Label>
        <Input ref={input} autoComplete="off" spellCheck={false} />
      </TextField>
      <Button type="submit" className="button button-primary" isPending={pending}>
        {button}
      </Button>
    </form>
  );
}

/** Results at this desk, newest first; the newest is also announced by the live region. */
function DeskLog({ outcomes }: { outcomes: Outcome[] }) {
  const { t } = useTranslation('circulation');
  const latest = outcomes[0];
  return (
    <>
      <OutcomeStatus outcome={latest} />
      {outcomes.length > 1 ? (
        <section aria-label={t('desk.results')}>
          <ul className="desk-log">
            {outcomes.slice(1).map((o) => (
              <li key={o.id} className={o.ok ? undefined : 'desk-refused'}>
                {o.text}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function useOutcomes() {
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const counter = useRef(0);
  return {
    outcomes,
    add: (ok: boolean, text: string) =>
      setOutcomes((list) => [{ id: ++counter.current, ok, text }, ...list].slice(0, 50)),
  };
}

function CheckOutPanel({ libraryId, branchId }: { libraryId: string; branchId: string }) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  const text = useDeskText();
  const { outcomes, add } = useOutcomes();
  const [patron, setPatron] = useState<Patron | null>(null);
  // A patron of another library of the association (network card), and the choice when several have the card.
  const [network, setNetwork] = useState<NetworkPatron | null>(null);
  const [choices, setChoices] = useState<{ card: string; patrons: NetworkPatron[] } | null>(null);
  const find = useMutation({ mutationFn: (card: string) => findPatronByCard(libraryId, card) });
  const lend = useMutation({
    mutationFn: (barcode: string) =>
      checkOut(libraryId, {
        cardNumber: (patron ?? network)!.cardNumber,
        barcode,
        branchId,
        ...(network ? { homeLibraryId: network.homeLibrary.id } : {}),
      }),
  });
  const title = (loan: Loan) => loan.item.title ?? t('desk.untitled');

  if (!patron && !network) {
    return (
      <>
        <ScanForm
          key="card"
          label={t('desk.patronCard')}
          button={t('desk.findPatron')}
          pending={find.isPending}
          onScan={async (card) => {
            try {
              const found = await find.mutateAsync(card);
              setChoices(null);
              if (found) setPatron(found);
              else {
                const others = await findNetworkPatrons(libraryId, card);
                if (others.length === 1) setNetwork(others[0]!);
                else if (others.length > 1) setChoices({ card, patrons: others });
                else add(false, t('desk.patronNotFound', { card }));
              }
            } catch (error) {
              add(false, text.refusal(error));
            }
          }}
        />
        {choices ? (
          <NetworkChoice
            card={choices.card}
            choices={choices.patrons}
            onChoose={(chosen) => {
              setChoices(null);
              setNetwork(chosen);
            }}
          />
        ) : null}
        <DeskLog outcomes={outcomes} />
      </>
    );
  }
  const today = new Date().toISOString().slice(0, 10);
  return (
    <>
      <div className="desk-patron panel">
        {patron ? (
          <OwnPatronSummary libraryId={libraryId} patron={patron} today={today} onConfirmed={setPatron} />
        ) : null}
        {network ? <NetworkPatronSummary patron={network} today={today} /> : null}
        <PatronFinesPanel libraryId={libraryId} patronId={(patron ?? network)!.id} />
        <Button
          className="button"
          onPress={() => {
            setPatron(null);
            setNetwork(null);
          }}
        >
          {t('desk.changePatron')}
        </Button>
      </div>
      <ScanForm
        key="item"
        label={t('desk.itemBarcode')}
        button={t('desk.checkOut')}
        pending={lend.isPending}
        onScan={async (barcode) => {
          try {
            const loan = await lend.mutateAsync(barcode);
            add(
              true,
              t('desk.checkedOut', {
                title: title(loan),
                barcode,
                due: format.zonedDateTime(loan.dueAt, loan.timeZone),
              }),
            );
          } catch (error) {
            add(false, t('desk.refusedItem', { barcode: isolate(barcode), reason: text.refusal(error) }));
          }
        }}
      />
      <DeskLog outcomes={outcomes} />
    </>
  );
}

/** The library's own patron at the desk: loans, blocks, expiry, identity still to confirm. */
function OwnPatronSummary({
  libraryId,
  patron,
  today,
  onConfirmed,
}: {
  libraryId: string;
  patron: Patron;
  today: string;
  onConfirmed: (patron: Patron) => void;
}) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  const personName = usePersonName();
  const expired = patron.expiresOn < today;
  return (
    <>
      <p>
        <strong>{t('desk.patron', { name: personName(patron), card: patron.cardNumber })}</strong>
      </p>
      <p>{t('desk.patronLoans', { count: patron.openLoans })}</p>
      {patron.blocks.length ? (
        <p className="desk-refused">
          {t('desk.patronBlocked', { reasons: patron.blocks.map((b) => b.reason).join('; ') })}
        </p>
      ) : null}
      {expired ? (
        <p className="desk-refused">{t('desk.patronExpired', { date: format.date(patron.expiresOn) })}</p>
      ) : null}
      <PendingIdentity libraryId={libraryId} patron={patron} onConfirmed={onConfirmed} />
    </>
  );
}

function CheckInPanel({ libraryId, branchId }: { libraryId: string; branchId: string }) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  const orgName = useOrgName();
  const text = useDeskText();
  const { outcomes, add } = useOutcomes();
  const back = useMutation({ mutationFn: (barcode: string) => checkIn(libraryId, { barcode, branchId }) });
  const describe = (r: CheckInResult, barcode: string) => {
    const values = { title: r.item.title ?? t('desk.untitled'), barcode };
    if (r.status === 'in_quarantine' && r.quarantineUntil)
      return t('desk.inQuarantine', { ...values, until: format.dateTime(r.quarantineUntil) });
    if (r.status === 'in_transit' && r.transitTo)
      return t('desk.inTransit', { ...values, branch: orgName(r.transitTo.names) });
    if (r.status === 'on_hold_shelf') return t('desk.onHoldShelf', values);
    return t('desk.checkedIn', values);
  };
  return (
    <>
      <ScanForm
        label={t('desk.itemBarcode')}
        button={t('desk.checkIn')}
        pending={back.isPending}
        onScan={async (barcode) => {
          try {
            add(true, describe(await back.mutateAsync(barcode), barcode));
          } catch (error) {
            add(false, t('desk.refusedItem', { barcode: isolate(barcode), reason: text.refusal(error) }));
          }
        }}
      />
      <DeskLog outcomes={outcomes} />
    </>
  );
}

function RenewPanel({ libraryId }: { libraryId: string }) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  const text = useDeskText();
  const { outcomes, add } = useOutcomes();
  const renewal = useMutation({ mutationFn: (barcode: string) => renew(libraryId, barcode) });
  return (
    <>
      <ScanForm
        label={t('desk.itemBarcode')}
        button={t('desk.renew')}
        pending={renewal.isPending}
        onScan={async (barcode) => {
          try {
            const loan = await renewal.mutateAsync(barcode);
            add(
              true,
              t('desk.renewed', {
                title: loan.item.title ?? t('desk.untitled'),
                barcode,
                due: format.zonedDateTime(loan.dueAt, loan.timeZone),
              }),
            );
          } catch (error) {
            add(false, t('desk.refusedItem', { barcode: isolate(barcode), reason: text.refusal(error) }));
          }
        }}
      />
      <DeskLog outcomes={outcomes} />
    </>
  );
}

function ItemStatusView({ libraryId, barcode }: { libraryId: string; barcode: string }) {
  const { t } = useTranslation('circulation');
  const format = useFormat();
  const text = useDeskText();
  const reason = useItemReason();
  // While the item is in quarantine or in transit, its status is followed: a job changes it.
  const history = useQuery({
    ...itemHistoryQuery(libraryId, barcode),
    refetchInterval: (query) => {
      const status = (query.state.data as ItemHistory | undefined)?.item.status;
      return status === 'in_quarantine' || status === 'in_transit' ? 3_000 : false;
    },
  });
  if (history.isPending) return <Loading />;
  if (history.isError) return <ErrorState error={history.error} />;
  const item = history.data.item;
  return (
    <section aria-labelledby="item-status-heading" className="panel">
      <h2 id="item-status-heading">
        {item.title ?? t('desk.untitled')} ({item.barcode})
      </h2>
      <p role="status" aria-live="polite">
        {t('desk.statusNow', { status: text.status(item.status) })}
      </p>
      <MarkForm libraryId={libraryId} barcode={item.barcode} />
      <h3>{t('desk.history')}</h3>
      <ol className="desk-log">
        {history.data.events.map((e, i) => (
          <li key={`${e.at}-${i}`}>
            {t('desk.historyEntry', {
              at: format.dateTime(e.at),
              from: text.status(e.from),
              to: text.status(e.to),
              reason: reason(e.reason),
            })}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Marks the copy lost, damaged, claimed returned or missing, with a reason kept in its history. */
function MarkForm({ libraryId, barcode }: { libraryId: string; barcode: string }) {
  const { t } = useTranslation('circulation');
  const text = useDeskText();
  const client = useQueryClient();
  const [mark, setMark] = useState<ItemMark>('lost');
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const save = useMutation({
    mutationFn: () => markItem(libraryId, { barcode, status: mark, reason }),
    onSuccess: (history) => {
      client.setQueryData(itemHistoryQuery(libraryId, barcode).queryKey, history);
      setReason('');
      setOutcome({ ok: true, text: t('desk.marked', { status: text.status(history.item.status) }) });
    },
    onError: (error) => setOutcome({ ok: false, text: text.refusal(error) }),
  });
  return (
    <form
      className="desk-scan"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <SelectField
        label={t('desk.markAs')}
        options={ITEM_MARKS.map((m) => ({ id: m, label: text.status(m) }))}
        value={mark}
        onChange={(value) => setMark(value as ItemMark)}
      />
      <TextInput label={t('desk.markReason')} value={reason} onChange={setReason} />
      <Button type="submit" className="button" isPending={save.isPending}>
        {t('desk.mark')}
      </Button>
      <OutcomeStatus outcome={outcome} />
    </form>
  );
}

function ItemPanel({ libraryId }: { libraryId: string }) {
  const { t } = useTranslation('circulation');
  const [barcode, setBarcode] = useState<string | null>(null);
  return (
    <>
      <ScanForm label={t('desk.itemBarcode')} button={t('desk.lookUp')} pending={false} onScan={setBarcode} />
      {barcode ? <ItemStatusView key={barcode} libraryId={libraryId} barcode={barcode} /> : null}
    </>
  );
}

/** Staff and admins of a library (and platform admins) work at its desk; the server checks it too. */
function isLibraryStaff(person: Me | null, library: { id: string }): boolean {
  if (!person) return false;
  if (person.isPlatformAdmin) return true;
  return person.roles.some((g) => (g.role === 'staff' || g.role === 'admin') && g.organization.id === library.id);
}

/** The circulation desk of a library: check out, check in, renew and look up items by scanning. */
export function DeskPage({ id }: { id: string }) {
  const { t } = useTranslation('circulation');
  const me = useMe();
  const orgName = useOrgName();
  const org = useQuery(organizationQuery(id));
  const [chosenBranch, setBranchId] = useState('');
  const [task, setTask] = useState<Task>('checkout');
  const branches = org.data?.members.filter((m) => m.kind === 'branch') ?? [];
  // A library without branches is its own desk.
  const branchId = chosenBranch || branches[0]?.id || org.data?.id || '';

  if (org.isPending) return <Loading />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => void org.refetch()} />;
  const title = t('pageTitle', { page: t('desk.title'), org: isolate(orgName(org.data.names)) });
  if (!isLibraryStaff(me, org.data)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <p role="alert">{t('desk.notStaff')}</p>
      </>
    );
  }
  const options = branches.length
    ? branches.map((b) => ({ id: b.id, label: orgName(b.names) }))
    : [{ id: org.data.id, label: orgName(org.data.names) }];
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <div className="desk-controls">
        <SelectField label={t('desk.branch')} options={options} value={branchId} onChange={setBranchId} />
      </div>
      <Tabs selectedKey={task} onSelectionChange={(key) => setTask(key as Task)}>
        <TabList aria-label={t('desk.tabs')} className="desk-tabs">
          <Tab id="checkout" className="desk-tab">
            {t('desk.checkOut')}
          </Tab>
          <Tab id="checkin" className="desk-tab">
            {t('desk.checkIn')}
          </Tab>
          <Tab id="renew" className="desk-tab">
            {t('desk.renew')}
          </Tab>
          <Tab id="item" className="desk-tab">
            {t('desk.item')}
          </Tab>
        </TabList>
        {branchId ? (
          <>
            <TabPanel id="checkout">
              <CheckOutPanel key={branchId} libraryId={id} branchId={branchId} />
            </TabPanel>
            <TabPanel id="checkin">
              <CheckInPanel key={branchId} libraryId={id} branchId={branchId} />
            </TabPanel>
            <TabPanel id="renew">
              <RenewPanel libraryId={id} />
            </TabPanel>
            <TabPanel id="item">
              <ItemPanel libraryId={id} />
            </TabPanel>
          </>
        ) : null}
      </Tabs>
      <SelfRegistrationSettings libraryId={id} />
      <NetworkSettingsPanel libraryId={id} />
    </>
  );
}
