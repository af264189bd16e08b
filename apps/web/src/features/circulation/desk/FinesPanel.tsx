import type { Fine, FineSummary, NetworkSettings, PaidFine } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { TextInput } from '../../../components/forms';
import { ErrorState, Loading, OutcomeStatus } from '../../../components/states';
import type { Outcome } from '../../../components/useSay';
import { api, ApiError } from '../../../lib/api';
import { useFormat } from '../../../lib/format';
import { useProblemMessage } from '../../../lib/problems';
import { isolate } from '../bidi';
import { Accrual, useMoney } from '../patron/MyFinesSection';

const base = (libraryId: string) => `/organizations/${libraryId}`;

const patronFinesQuery = (libraryId: string, patronId: string) => ({
  queryKey: ['fines', 'patron', libraryId, patronId] as const,
  queryFn: () => api<FineSummary>(`${base(libraryId)}/patrons/${patronId}/fines`),
});

const networkSettingsQuery = (libraryId: string) => ({
  queryKey: ['network-settings', libraryId] as const,
  queryFn: () => api<NetworkSettings>(`${base(libraryId)}/network-settings`),
});

/**
 * A digit of any script (Arabic-Indic, Devanagari, full-width…) as 0–9: Unicode lays out each
 * script's ten digits in a row from zero.
 */
function asciiDigit(digit: string): string {
  let codePoint = digit.codePointAt(0)!;
  let fromZero = 0;
  while (/\p{Nd}/u.test(String.fromCodePoint(codePoint - 1))) {
    codePoint -= 1;
    fromZero += 1;
  }
  return String(fromZero % 10);
}

/**
 * Whole minor units from what staff type ('1.50', '1,5', '3', '١٫٥٠', '१.५'); null when it is not an
 * amount. Digits of any script and the Arabic decimal separator are read as a number input gives them.
 */
export function parseMoney(text: string, digits: number): number | null {
  const normal = text
    .trim()
    .replace(/\p{Nd}/gu, asciiDigit)
    .replace(/\u066b/g, '.');
  const match = /^(\d{1,9})(?:[.,](\d+))?$/.exec(normal);
  if (!match || (match[2] ?? '').length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number((match[2] ?? '').padEnd(digits, '0') || '0');
  return minor > 0 ? minor : null;
}

const digitsOf = (currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

const FINE_CODES = [
  'CIRCULATION_FINE_NOT_FOUND',
  'CIRCULATION_FINE_SETTLED',
  'CIRCULATION_FINE_OVERPAYMENT',
  'CIRCULATION_FINE_CHANGED',
  'CIRCULATION_FINE_PAYMENT_NOT_FOUND',
] as const;
type FineCode = (typeof FINE_CODES)[number];
const isFineCode = (code: string): code is FineCode => (FINE_CODES as readonly string[]).includes(code);

/** 'Refused: …' for a failed payment, waiver or undo, in the interface language. */
export function useFineRefusal(): (error: unknown) => string {
  const { t } = useTranslation('fines');
  const problem = useProblemMessage();
  return (error) => {
    const code = error instanceof ApiError ? error.code : '';
    return t('staff.refused', { reason: isFineCode(code) ? t(`errors.${code}`) : problem(error) });
  };
}

/** What the panel's status can undo: the last waiver, or the last payment (named by its id). */
export type Undoable = { kind: 'waiver'; fine: Fine } | { kind: 'payment'; fine: Fine; paymentId: string };

/** The last payment or waiver taken in the panel, as the panel tells it, and what undoes it. */
export interface Done extends Outcome {
  undo?: Undoable;
}

/** The reversal route that undoes it, and what to send: a waiver is named by when it was made. */
export function reversalOf(libraryId: string, undo: Undoable): { path: string; body?: { waivedAt: string | null } } {
  const fine = `${base(libraryId)}/fines/${undo.fine.id}`;
  return undo.kind === 'waiver'
    ? { path: `${fine}/waiver/reversal`, body: { waivedAt: undo.fine.waivedAt } }
    : { path: `${fine}/payments/${undo.paymentId}/reversal` };
}

/**
 * A patron's fines at this library, with payment and waiver, for its staff (network patrons too).
 * What a payment or waiver came to is told above the list, since a fine paid or waived leaves it;
 * it can be undone from there until the next payment or waiver (or another patron).
 */
export function PatronFinesPanel({ libraryId, patronId }: { libraryId: string; patronId: string }) {
  // Keyed: what was done for one patron (and its undo) is not offered on the next one's panel.
  return <PatronFines key={`${libraryId}/${patronId}`} libraryId={libraryId} patronId={patronId} />;
}

function PatronFines({ libraryId, patronId }: { libraryId: string; patronId: string }) {
  const { t } = useTranslation('fines');
  const money = useMoney();
  const refusal = useFineRefusal();
  const client = useQueryClient();
  const fines = useQuery(patronFinesQuery(libraryId, patronId));
  const [done, setDoneState] = useState<Done | null>(null);
  // What the status shows now, for an Undo's answer to tell whether it is still the last word.
  const shown = useRef<Done | null>(null);
  const setDone = (next: Done | null) => {
    shown.current = next;
    setDoneState(next);
  };
  const heading = useRef<HTMLHeadingElement>(null);
  // The control acted on is gone (its fine left the list, or the Undo button): focus the heading.
  const focusHeading = () => requestAnimationFrame(() => heading.current?.focus());
  const undo = useMutation({
    mutationFn: (undoable: Undoable) => {
      const { path, body } = reversalOf(libraryId, undoable);
      return api<Fine>(path, { method: 'POST', ...(body ? { body } : {}) });
    },
    onSuccess: async (reopened, undone) => {
      // A payment or waiver made meanwhile has the last word (and its own Undo).
      if (shown.current?.undo === undone) {
        const amount = money(reopened.balance, reopened.currency);
        setDone({
          ok: true,
          text: undone.kind === 'waiver' ? t('staff.waiverUndone', { amount }) : t('staff.paymentUndone', { amount }),
        });
        focusHeading(); // the Undo button is gone
      }
      await client.invalidateQueries({ queryKey: patronFinesQuery(libraryId, patronId).queryKey });
    },
    onError: async (error, undoable) => {
      // Refused because the fine changed since: nothing left to undo, and the list is out of date.
      // Otherwise (the network) it can be tried again.
      const gone = error instanceof ApiError && isFineCode(error.code);
      if (shown.current?.undo === undoable) {
        setDone({ ok: false, text: refusal(error), ...(gone ? {} : { undo: undoable }) });
        if (gone) focusHeading();
      }
      if (gone) await client.invalidateQueries({ queryKey: patronFinesQuery(libraryId, patronId).queryKey });
    },
  });
  if (fines.isPending) return <Loading />;
  if (fines.isError) return <ErrorState error={fines.error} onRetry={() => void fines.refetch()} />;
  const open = fines.data.fines.filter((f) => f.status === 'open');
  const report = (next: Done | null, focus = false) => {
    setDone(next);
    if (focus) focusHeading();
  };
  return (
    <section aria-labelledby={`fines-${patronId}`} className="desk-fines">
      <h3 id={`fines-${patronId}`} ref={heading} tabIndex={-1}>
        {t('staff.heading')}
      </h3>
      <DoneStatus done={done} isPending={undo.isPending} onUndo={(undoable) => undo.mutate(undoable)} />
      {open.length === 0 && fines.data.accruing.length === 0 ? (
        <p>{t('staff.none')}</p>
      ) : (
        <ul className="desk-log">
          {open.map((fine) => (
            <li key={fine.id}>
              <OpenFine libraryId={libraryId} fine={fine} onDone={report} />
            </li>
          ))}
          {fines.data.accruing.map((a) => (
            <li key={a.loanId}>
              <Accrual accrual={a} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** What the last payment or waiver came to, and Undo while it can be undone. */
export function DoneStatus({
  done,
  isPending,
  onUndo,
}: {
  done: Done | null;
  isPending: boolean;
  onUndo: (undoable: Undoable) => void;
}) {
  const { t } = useTranslation('fines');
  const undoable = done?.undo;
  return (
    <div className="desk-controls">
      <OutcomeStatus outcome={done} />
      {undoable ? (
        <Button
          className="button"
          isPending={isPending}
          onPress={() => onUndo(undoable)}
          aria-label={t(undoable.kind === 'waiver' ? 'staff.undoWaiver' : 'staff.undoPayment', {
            title: isolate(fineTitle(undoable.fine)),
          })}
        >
          {t('staff.undo')}
        </Button>
      ) : null}
    </div>
  );
}

const fineTitle = (fine: Fine) => fine.item?.title ?? fine.item?.barcode ?? '';

function OpenFine({
  libraryId,
  fine,
  onDone,
}: {
  libraryId: string;
  fine: Fine;
  /** Tells the panel what a payment or waiver came to (null as one starts); `focus` when this fine has left the list. */
  onDone: (done: Done | null, focus?: boolean) => void;
}) {
  const { t } = useTranslation('fines');
  const format = useFormat();
  const money = useMoney();
  const refusal = useFineRefusal();
  const client = useQueryClient();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['fines', 'patron', libraryId, fine.patronId] });
  const refused = (error: unknown) => setOutcome({ ok: false, text: refusal(error) });
  // A new payment or waiver ends the chance to undo the last one.
  const starting = () => {
    setOutcome(null);
    onDone(null);
  };
  const pay = useMutation({
    mutationFn: (minor: number) =>
      api<PaidFine>(`${base(libraryId)}/fines/${fine.id}/payments`, { method: 'POST', body: { amount: minor } }),
    onMutate: starting,
    onSuccess: async (paid) => {
      setAmount('');
      await refresh();
      onDone(
        {
          ok: true,
          text: t('staff.paid', { amount: money(paid.balance, paid.currency) }),
          undo: { kind: 'payment', fine: paid, paymentId: paid.paymentId },
        },
        paid.status !== 'open',
      );
    },
    onError: refused,
  });
  const waive = useMutation({
    mutationFn: () =>
      api<Fine>(`${base(libraryId)}/fines/${fine.id}/waiver`, { method: 'POST', body: { reason: reason.trim() } }),
    onMutate: starting,
    onSuccess: async (waived) => {
      await refresh();
      onDone({ ok: true, text: t('staff.waivedDone'), undo: { kind: 'waiver', fine: waived } }, true);
    },
    onError: refused,
  });
  const submitPayment = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const minor = parseMoney(amount, digitsOf(fine.currency));
    if (minor === null) setOutcome({ ok: false, text: t('staff.badAmount') });
    else pay.mutate(minor);
  };
  const submitWaiver = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reason.trim()) {
      waive.mutate();
      return;
    }
    setReasonError(t('staff.reasonRequired'));
    event.currentTarget.querySelector('input')?.focus();
  };
  return (
    <article aria-labelledby={`fine-${fine.id}`}>
      <p id={`fine-${fine.id}`}>
        {t('staff.fine', {
          title: fineTitle(fine),
          date: format.date(fine.createdAt),
          amount: money(fine.amount, fine.currency),
          balance: money(fine.balance, fine.currency),
        })}
      </p>
      <form className="desk-scan" onSubmit={submitPayment}>
        <TextInput label={t('staff.payAmount', { currency: fine.currency })} value={amount} onChange={setAmount} />
        <Button type="submit" className="button" isPending={pay.isPending}>
          {t('staff.pay')}
        </Button>
      </form>
      <form className="desk-scan" onSubmit={submitWaiver}>
        <TextInput
          label={t('staff.waiveReason')}
          value={reason}
          onChange={(value) => {
            setReason(value);
            setReasonError(undefined);
          }}
          isRequired
          errorMessage={reasonError}
        />
        <Button type="submit" className="button" isPending={waive.isPending}>
          {t('staff.waive')}
        </Button>
      </form>
      <OutcomeStatus outcome={outcome} />
    </article>
  );
}

/** The library's network-card choices and fine currency, for its staff. */
export function NetworkSettingsPanel({ libraryId }: { libraryId: string }) {
  const { t } = useTranslation('fines');
  const settings = useQuery(networkSettingsQuery(libraryId));
  return (
    <section aria-labelledby="network-settings-heading" className="panel">
      <h2 id="network-settings-heading">{t('settings.title')}</h2>
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <NetworkSettingsForm libraryId={libraryId} saved={settings.data} />
      )}
    </section>
  );
}

function NetworkSettingsForm({ libraryId, saved }: { libraryId: string; saved: NetworkSettings }) {
  const { t } = useTranslation('fines');
  const problem = useProblemMessage();
  const client = useQueryClient();
  const [values, setValues] = useState(saved);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const save = useMutation({
    mutationFn: () =>
      api<NetworkSettings>(`${base(libraryId)}/network-settings`, {
        method: 'PATCH',
        body: { ...values, currency: values.currency.trim().toUpperCase() },
      }),
    onSuccess: (next) => {
      client.setQueryData(networkSettingsQuery(libraryId).queryKey, next);
      setValues(next);
      setOutcome({ ok: true, text: t('settings.saved') });
    },
    onError: (error) => setOutcome({ ok: false, text: t('staff.refused', { reason: problem(error) }) }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!/^[A-Za-z]{3}$/.test(values.currency.trim())) setOutcome({ ok: false, text: t('settings.badCurrency') });
    else save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Checkbox
        className="checkbox"
        isSelected={values.lendsToNetworkPatrons}
        onChange={(on) => setValues({ ...values, lendsToNetworkPatrons: on })}
      >
        <span className="checkbox-box" aria-hidden="true" />
        {t('settings.lends')}
      </Checkbox>
      <Checkbox
        className="checkbox"
        isSelected={values.ownPatronsBorrowElsewhere}
        onChange={(on) => setValues({ ...values, ownPatronsBorrowElsewhere: on })}
      >
        <span className="checkbox-box" aria-hidden="true" />
        {t('settings.ownElsewhere')}
      </Checkbox>
      <TextInput
        label={t('settings.currency')}
        value={values.currency}
        onChange={(currency) => setValues({ ...values, currency })}
        maxLength={3}
      />
      <Button type="submit" className="button" isPending={save.isPending}>
        {t('settings.save')}
      </Button>
      <OutcomeStatus outcome={outcome} />
    </form>
  );
}
