import type { BranchCalendar, Me, Organization } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useReducer, useRef, useState, type FormEvent } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { isolate } from '../bidi';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { FormAlert, SelectField, SubmitButton, TextInput } from '../../../components/forms';
import { useOrgName } from '../../../components/OrgName';
import { PageTitle } from '../../../components/Page';
import { ErrorState, Loading, StatusMessage } from '../../../components/states';
import { useUnsavedChangesGuard } from '../../../components/useUnsavedChangesGuard';
import { api } from '../../../lib/api';
import { useFormat, WEEKDAYS, type Weekday } from '../../../lib/format';
import { useProblemMessage } from '../../../lib/problems';
import { useMe } from '../../../lib/session';
import { organizationQuery } from '../../organizations/OrganizationPage';
import '../desk/desk.css';
import './calendar.css';
import { calendarKey, calendarOfForm, chooseBranch, type Day } from './unsaved';

// The calendar's weekly hours are indexed from Sunday (0); the page lists Monday first.
const INDEX: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const calendarQuery = (libraryId: string, branchId: string) => ({
  queryKey: ['circulation-calendar', libraryId, branchId] as const,
  queryFn: () => api<BranchCalendar>(`/organizations/${libraryId}/circulation-calendars/${branchId}`),
});

function isLibraryStaff(person: Me | null, library: Organization): boolean {
  if (!person) return false;
  if (person.isPlatformAdmin) return true;
  return person.roles.some((g) => (g.role === 'staff' || g.role === 'admin') && g.organization.id === library.id);
}

/** Whether the browser knows `zone` as a time zone (the server checks again). */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A library's branch calendars for its staff: weekly opening hours, closed days and the time zone they are in. */
export function CalendarPage({ id }: { id: string }) {
  const { t } = useTranslation('calendar');
  const { t: circulation } = useTranslation('circulation');
  const { t: common } = useTranslation('common');
  const me = useMe();
  const orgName = useOrgName();
  const org = useQuery(organizationQuery(id));
  const [choice, choose] = useReducer(chooseBranch, { branch: '', asking: null });
  // Whether the shown branch's form has changes not yet saved (the form says so).
  const [dirty, setDirty] = useState(false);
  const branchField = useRef<HTMLDivElement>(null);
  // Leaving the page (a link, back, closing the tab) while there are unsaved changes asks first.
  const leaving = useUnsavedChangesGuard(dirty, {
    question: t('discardPage'),
    returnFocus: () => document.querySelector<HTMLElement>('h1.page-title'),
  });
  // After the librarian answers, focus goes back to the branch field (the list they chose from is gone).
  const focusBranchField = () =>
    requestAnimationFrame(() =>
      requestAnimationFrame(() => branchField.current?.querySelector<HTMLElement>('.select-button')?.focus()),
    );
  if (org.isPending) return <Loading />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => void org.refetch()} />;
  const title = circulation('pageTitle', { page: t('title'), org: isolate(orgName(org.data.names)) });
  if (!isLibraryStaff(me, org.data)) {
    return (
      <>
        <PageTitle title={title}>{title}</PageTitle>
        <p role="alert">{t('notStaff')}</p>
      </>
    );
  }
  const branches = org.data.members.filter((m) => m.kind === 'branch');
  const places = branches.length ? branches : [org.data];
  const branchId = choice.branch || places[0]!.id;
  const asked = places.find((p) => p.id === choice.asking);
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p>{t('intro')}</p>
      <div className="desk-controls" ref={branchField}>
        <SelectField
          label={t('branch')}
          options={places.map((p) => ({ id: p.id, label: orgName(p.names) }))}
          value={branchId}
          onChange={(branch) => {
            if (branch !== branchId) choose({ type: 'choose', branch, dirty });
          }}
        />
      </div>
      <ConfirmDialog
        isOpen={choice.asking !== null}
        onOpenChange={(open) => {
          if (open) return;
          choose({ type: 'keep' });
          focusBranchField();
        }}
        title={common('unsaved.title')}
        confirmLabel={t('discardConfirm')}
        dismissLabel={common('unsaved.keep')}
        onConfirm={async () => {
          setDirty(false);
          choose({ type: 'discard' });
          focusBranchField();
        }}
      >
        <p>{t('discardBranch', { branch: asked ? isolate(orgName(asked.names)) : '' })}</p>
      </ConfirmDialog>
      {leaving.dialog}
      <CalendarLoader key={branchId} libraryId={id} branchId={branchId} onDirtyChange={setDirty} />
    </>
  );
}

function CalendarLoader({
  libraryId,
  branchId,
  onDirtyChange,
}: {
  libraryId: string;
  branchId: string;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const calendar = useQuery(calendarQuery(libraryId, branchId));
  if (calendar.isPending) return <Loading />;
  if (calendar.isError) return <ErrorState error={calendar.error} onRetry={() => void calendar.refetch()} />;
  return (
    <CalendarForm libraryId={libraryId} branchId={branchId} initial={calendar.data} onDirtyChange={onDirtyChange} />
  );
}

function CalendarForm({
  libraryId,
  branchId,
  initial,
  onDirtyChange,
}: {
  libraryId: string;
  branchId: string;
  initial: BranchCalendar;
  /** Told whenever the form comes to have unsaved changes or no longer has any (and none when it goes). */
  onDirtyChange: (dirty: boolean) => void;
}) {
  const { t } = useTranslation('calendar');
  const format = useFormat();
  const problem = useProblemMessage();
  const client = useQueryClient();
  const headingId = useId();
  const [zone, setZone] = useState(initial.timeZone ?? 'UTC');
  const [days, setDays] = useState<Day[]>(() =>
    initial.weeklyHours.map((d) => ({ open: d !== null, opens: d?.open ?? '09:00', closes: d?.close ?? '18:00' })),
  );
  const [closed, setClosed] = useState(initial.closedDates);
  const [newDate, setNewDate] = useState('');
  const [newReason, setNewReason] = useState('');
  const [checked, setChecked] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  // The calendar as the server has it: as loaded, then as last saved.
  const [baseline, setBaseline] = useState(() => calendarKey(initial));
  // A closed day typed in but not yet added counts as unsaved too.
  const dirty =
    calendarKey(calendarOfForm(zone, days, closed)) !== baseline || newDate !== '' || newReason.trim() !== '';
  useEffect(() => {
    onDirtyChange(dirty);
  }, [dirty, onDirtyChange]);
  useEffect(() => () => onDirtyChange(false), [onDirtyChange]);

  const zoneError = isTimeZone(zone.trim()) ? undefined : t('zoneInvalid', { zone: zone.trim() });
  const dayError = (d: Day) =>
    d.open && (!TIME.test(d.opens) || !TIME.test(d.closes) || d.closes <= d.opens) ? t('hoursInvalid') : undefined;
  const invalid = !!zoneError || days.some((d) => dayError(d));

  const save = useMutation({
    mutationFn: (body: BranchCalendar) =>
      api<BranchCalendar>(`/organizations/${libraryId}/circulation-calendars/${branchId}`, {
        method: 'PUT',
        body,
      }),
    onSuccess: (result, sent) => {
      client.setQueryData(calendarQuery(libraryId, branchId).queryKey, result);
      setZone(result.timeZone ?? 'UTC');
      // Saved is what was sent (as the form still shows it), in the zone's name as the server spells it.
      setBaseline(calendarKey({ ...sent, timeZone: result.timeZone }));
      setSaved(t('saved', { zone: result.timeZone }));
    },
    onError: () => setSaved(null),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    setSaved(null);
    if (invalid) return;
    save.mutate(calendarOfForm(zone, days, closed));
  };
  const setDay = (index: number, change: Partial<Day>) =>
    setDays((all) => all.map((d, i) => (i === index ? { ...d, ...change } : d)));
  const addClosed = () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(newDate) || closed.some((c) => c.date === newDate)) return;
    setClosed((all) =>
      [...all, { date: newDate, reason: newReason.trim() }].sort((a, b) => a.date.localeCompare(b.date)),
    );
    setNewDate('');
    setNewReason('');
  };
  // A closed date is a calendar date; show it as such, not shifted by the browser's zone.
  const showDate = (date: string) => format.date(`${date}T12:00:00Z`);

  return (
    <form onSubmit={submit} noValidate aria-labelledby={headingId} className="calendar-form">
      <h2 id={headingId}>{t('hoursHeading')}</h2>
      <FormAlert>{save.isError ? problem(save.error) : checked && invalid ? t('fixErrors') : null}</FormAlert>
      <StatusMessage>{saved}</StatusMessage>
      <TextInput
        label={t('zone')}
        description={t('zoneHelp')}
        inputLang="en"
        value={zone}
        onChange={setZone}
        errorMessage={checked ? zoneError : undefined}
        isRequired
      />
      <table className="calendar-hours">
        <caption>{t('weekCaption', { zone: zone.trim() || 'UTC' })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('day')}</th>
            <th scope="col">{t('open')}</th>
            <th scope="col">{t('opens')}</th>
            <th scope="col">{t('closes')}</th>
          </tr>
        </thead>
        <tbody>
          {WEEKDAYS.map((weekday) => {
            const index = INDEX[weekday];
            const day = days[index]!;
            const name = format.weekday(weekday);
            return (
              <tr key={weekday}>
                <th scope="row">{name}</th>
                <td>
                  <Checkbox
                    className="checkbox"
                    isSelected={day.open}
                    onChange={(open) => setDay(index, { open })}
                    aria-label={t('openOn', { day: name })}
                  >
                    <span className="checkbox-box">
                      <svg viewBox="0 0 18 18" aria-hidden="true" className="checkbox-icon">
                        <polyline points="3 9 7 13 15 5" />
                      </svg>
                    </span>
                  </Checkbox>
                </td>
                <td>
                  <TextInput
                    label={t('opensOn', { day: name })}
                    className="calendar-time"
                    type="time"
                    value={day.opens}
                    onChange={(opens) => setDay(index, { opens })}
                    isDisabled={!day.open}
                    errorMessage={checked ? dayError(day) : undefined}
                  />
                </td>
                <td>
                  <TextInput
                    label={t('closesOn', { day: name })}
                    className="calendar-time"
                    type="time"
                    value={day.closes}
                    onChange={(closes) => setDay(index, { closes })}
                    isDisabled={!day.open}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <h2>{t('closedHeading')}</h2>
      <p>{t('closedHelp')}</p>
      {closed.length === 0 ? (
        <p>{t('noClosed')}</p>
      ) : (
        <ul className="calendar-closed">
          {closed.map((c) => (
            <li key={c.date}>
              <span>
                <time dateTime={c.date}>{showDate(c.date)}</time>
                {c.reason ? ` — ${c.reason}` : ''}
              </span>
              <Button
                className="button"
                onPress={() => setClosed((all) => all.filter((x) => x.date !== c.date))}
                aria-label={t('removeClosed', { date: showDate(c.date) })}
              >
                {t('remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="desk-controls">
        <TextInput label={t('closedDate')} type="date" value={newDate} onChange={setNewDate} />
        <TextInput label={t('reason')} value={newReason} onChange={setNewReason} maxLength={200} />
        <Button className="button" onPress={addClosed} isDisabled={!newDate}>
          {t('addClosed')}
        </Button>
      </div>
      <p className="field-description">{t('dueHelp')}</p>
      <SubmitButton isPending={save.isPending}>{t('save')}</SubmitButton>
    </form>
  );
}
