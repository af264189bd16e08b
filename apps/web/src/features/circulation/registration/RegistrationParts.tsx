import type { LibraryMembership, Patron, SelfRegistrationCategory, SelfRegistrationMode } from '@athenaeum/contracts';
import { SELF_REGISTRATION_CATEGORIES, SELF_REGISTRATION_MODES } from '@athenaeum/contracts/vocabulary';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button, Checkbox, CheckboxGroup, Label } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { usePersonName } from '../person-name';
import { SelectField } from '../../../components/forms';
import { useOrgName } from '../../../components/OrgName';
import { ErrorState, Loading, OutcomeStatus } from '../../../components/states';
import { ApiError } from '../../../lib/api';
import { useFormat } from '../../../lib/format';
import { useProblemMessage } from '../../../lib/problems';
import { confirmIdentity, offerQuery, saveSelfRegistration, settingsQuery } from './api';
import './registration.css';

const OWN_CODES = [
  'CIRCULATION_IDENTITY_NOT_CONFIRMED',
  'CIRCULATION_EMAIL_NOT_VERIFIED',
  'CIRCULATION_SELF_REGISTRATION_CLOSED',
  'CIRCULATION_CATEGORY_NOT_OFFERED',
  'CIRCULATION_ALREADY_PATRON',
  'CIRCULATION_PATRON_NOT_PENDING',
] as const;
type OwnCode = (typeof OWN_CODES)[number];
const isOwnCode = (code: string): code is OwnCode => (OWN_CODES as readonly string[]).includes(code);

/** Translates the registration error codes; null for any other error. */
export function useRegistrationRefusal(): (error: unknown) => string | null {
  const { t } = useTranslation('registration');
  return (error) => (error instanceof ApiError && isOwnCode(error.code) ? t(`errors.${error.code}`) : null);
}

/** Describes any failure: registration codes in the interface language, others as the app does. */
export function useRegistrationProblem(): (error: unknown) => string {
  const own = useRegistrationRefusal();
  const problem = useProblemMessage();
  return (error) => own(error) ?? problem(error);
}

/** "Join this library" on a library's page, shown only where the library accepts registration online. */
export function JoinLibraryLink({ libraryId }: { libraryId: string }) {
  const { t } = useTranslation('registration');
  const offer = useQuery(offerQuery(libraryId));
  if (!offer.data || offer.data.mode === 'off') return null;
  return (
    <p>
      <Link to="/libraries/$id/join" params={{ id: libraryId }} className="button button-primary">
        {t('join.link')}
      </Link>
    </p>
  );
}

/** A library card: library, number, category, validity and whether a desk visit is still needed. */
export function LibraryCard({ card, headingLevel = 2 }: { card: LibraryMembership; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation('registration');
  const orgName = useOrgName();
  const format = useFormat();
  const Heading = `h${headingLevel}` as const;
  const headingId = `card-${card.patronId}`;
  return (
    <section aria-labelledby={headingId} className="panel library-card">
      <Heading id={headingId}>{t('join.card', { library: orgName(card.library.names) })}</Heading>
      <dl className="facts">
        <dt>{t('join.cardNumber')}</dt>
        <dd className="library-card-number" dir="ltr">
          {card.cardNumber}
        </dd>
        <dt>{t('join.category')}</dt>
        <dd>{isSelfCategory(card.category) ? t(`categories.${card.category}`) : card.category}</dd>
        <dt>{t('join.validUntil')}</dt>
        <dd>{format.date(card.expiresOn)}</dd>
        <dt>{t('join.status')}</dt>
        <dd className={card.mustConfirmAtDesk ? 'library-card-pending' : undefined}>
          {card.mustConfirmAtDesk
            ? t('join.statusPending')
            : card.status === 'active'
              ? t('join.statusActive')
              : t('join.statusClosed')}
        </dd>
      </dl>
    </section>
  );
}

const isSelfCategory = (c: string): c is SelfRegistrationCategory =>
  (SELF_REGISTRATION_CATEGORIES as readonly string[]).includes(c);

/** At the desk: a patron who registered online and has not shown an identity document yet. */
export function PendingIdentity({
  libraryId,
  patron,
  onConfirmed,
}: {
  libraryId: string;
  patron: Patron;
  onConfirmed: (patron: Patron) => void;
}) {
  const { t } = useTranslation('registration');
  const problem = useRegistrationProblem();
  const personName = usePersonName();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const confirm = useMutation({
    mutationFn: () => confirmIdentity(libraryId, patron.id),
    onSuccess: (updated) => {
      setOutcome({
        ok: true,
        text: t('desk.confirmed', { name: personName(updated) }),
      });
      onConfirmed(updated);
    },
    onError: (error) => setOutcome({ ok: false, text: problem(error) }),
  });
  return (
    <>
      {patron.status === 'pending' ? (
        <div className="pending-identity">
          <p className="desk-refused">{t('desk.pending')}</p>
          <Button className="button button-primary" isPending={confirm.isPending} onPress={() => confirm.mutate()}>
            {t('desk.confirm')}
          </Button>
        </div>
      ) : null}
      <OutcomeStatus outcome={outcome} />
    </>
  );
}

const MODE_LABEL = {
  off: 'settings.off',
  borrow_at_once: 'settings.borrowAtOnce',
  confirm_at_desk: 'settings.confirmAtDesk',
} as const;

/** Library staff choose whether people may join online, on what terms and in which categories. */
export function SelfRegistrationSettings({ libraryId }: { libraryId: string }) {
  const { t } = useTranslation('registration');
  const settings = useQuery(settingsQuery(libraryId));
  if (settings.isPending) return <Loading />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  return (
    <section aria-labelledby="self-registration-heading" className="panel">
      <h2 id="self-registration-heading">{t('settings.title')}</h2>
      <SettingsForm
        libraryId={libraryId}
        mode={settings.data.selfRegistration}
        categories={settings.data.selfRegistrationCategories}
      />
    </section>
  );
}

function SettingsForm(props: {
  libraryId: string;
  mode: SelfRegistrationMode;
  categories: SelfRegistrationCategory[];
}) {
  const { t } = useTranslation('registration');
  const client = useQueryClient();
  const problem = useRegistrationProblem();
  const [mode, setMode] = useState(props.mode);
  const [categories, setCategories] = useState<string[]>(props.categories);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const save = useMutation({
    mutationFn: () =>
      saveSelfRegistration(props.libraryId, {
        selfRegistration: mode,
        selfRegistrationCategories: categories.filter(isSelfCategory),
      }),
    onSuccess: (saved) => {
      client.setQueryData(settingsQuery(props.libraryId).queryKey, saved);
      void client.invalidateQueries({ queryKey: offerQuery(props.libraryId).queryKey });
      setOutcome({ ok: true, text: t('settings.saved') });
    },
    onError: (error) => setOutcome({ ok: false, text: problem(error) }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (categories.length === 0) {
      setOutcome({ ok: false, text: t('settings.chooseCategory') });
      return;
    }
    save.mutate();
  };
  return (
    <form className="registration-settings" onSubmit={submit}>
      <SelectField
        label={t('settings.mode')}
        options={SELF_REGISTRATION_MODES.map((m) => ({ id: m, label: t(MODE_LABEL[m]) }))}
        value={mode}
        onChange={(value) => setMode(value as SelfRegistrationMode)}
      />
      <CheckboxGroup
        className="field"
        value={categories}
        onChange={setCategories}
        isDisabled={mode === 'off'}
        isInvalid={categories.length === 0}
      >
        <Label>{t('settings.categories')}</Label>
        {SELF_REGISTRATION_CATEGORIES.map((c) => (
          <Checkbox key={c} value={c} className="checkbox">
            <span className="checkbox-box">
              <svg viewBox="0 0 18 18" aria-hidden="true" className="checkbox-icon">
                <polyline points="3 9 7 13 15 5" />
              </svg>
            </span>
            {t(`categories.${c}`)}
          </Checkbox>
        ))}
      </CheckboxGroup>
      <Button type="submit" className="button" isPending={save.isPending}>
        {t('settings.save')}
      </Button>
      <OutcomeStatus outcome={outcome} />
    </form>
  );
}
