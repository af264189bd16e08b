import type { LibraryMembership, SelfRegistrationCategory } from '@athenaeum/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { SelectField, TextInput } from '../../../components/forms';
import { useOrgName } from '../../../components/OrgName';
import { PageTitle } from '../../../components/Page';
import { ErrorState, Loading, StatusMessage } from '../../../components/states';
import { useMe } from '../../../lib/session';
import { organizationQuery } from '../../organizations/OrganizationPage';
import { joinLibrary, myCardsQuery, offerQuery } from './api';
import { LibraryCard, useRegistrationProblem } from './RegistrationParts';

function splitName(displayName: string): { givenName: string; familyName: string } {
  const parts = displayName.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 2) return { givenName: parts[0] ?? '', familyName: '' };
  return { givenName: parts.slice(0, -1).join(' '), familyName: parts.at(-1)! };
}

/** A signed-in person joins a library online and sees their new card (and whether to visit a desk). */
export function JoinLibraryPage({ id }: { id: string }) {
  const { t } = useTranslation('registration');
  const orgName = useOrgName();
  const me = useMe();
  const org = useQuery(organizationQuery(id));
  const offer = useQuery(offerQuery(id));
  const cards = useQuery({ ...myCardsQuery, enabled: me !== null });
  const [joined, setJoined] = useState<LibraryMembership | null>(null);

  if (org.isPending || offer.isPending || cards.isPending) return <Loading />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => void org.refetch()} />;
  if (offer.isError) return <ErrorState error={offer.error} onRetry={() => void offer.refetch()} />;
  if (cards.isError) return <ErrorState error={cards.error} onRetry={() => void cards.refetch()} />;
  const library = orgName(org.data.names);
  const title = t('join.title', { library });
  const card = cards.data.find((c) => c.library.id === id);

  let body;
  if (card) {
    body = (
      <>
        {joined ? null : <p>{t('join.already')}</p>}
        <LibraryCard card={card} />
      </>
    );
  } else if (offer.data.mode === 'off') {
    body = <p role="alert">{t('join.closed')}</p>;
  } else if (!me?.emailVerified) {
    body = (
      <div role="alert" className="alert alert-info">
        <p>{t('join.verifyFirst')}</p>
        <p>
          <Link to="/account">{t('join.accountLink')}</Link>
        </p>
      </div>
    );
  } else {
    body = (
      <JoinForm
        libraryId={id}
        displayName={me.displayName}
        categories={offer.data.categories}
        atDesk={offer.data.mode === 'confirm_at_desk'}
        onJoined={setJoined}
      />
    );
  }
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p>
        <Link to="/organizations/$id" params={{ id }}>
          {library}
        </Link>
      </p>
      <StatusMessage>
        {joined
          ? `${t('join.joined', { card: joined.cardNumber })} ${joined.mustConfirmAtDesk ? t('join.visitDesk') : t('join.borrowNow')}`
          : null}
      </StatusMessage>
      {body}
    </>
  );
}

function JoinForm(props: {
  libraryId: string;
  displayName: string;
  categories: SelfRegistrationCategory[];
  atDesk: boolean;
  onJoined: (card: LibraryMembership) => void;
}) {
  const { t } = useTranslation('registration');
  const client = useQueryClient();
  const problem = useRegistrationProblem();
  const initial = splitName(props.displayName);
  const [givenName, setGivenName] = useState(initial.givenName);
  const [familyName, setFamilyName] = useState(initial.familyName);
  const [category, setCategory] = useState<SelfRegistrationCategory>(props.categories[0] ?? 'adult');
  const [error, setError] = useState<string | null>(null);
  const join = useMutation({
    mutationFn: () =>
      joinLibrary({
        libraryId: props.libraryId,
        category,
        givenName: givenName.trim() || undefined,
        familyName: familyName.trim() || undefined,
      }),
    onSuccess: (card: LibraryMembership) => {
      props.onJoined(card);
      client.setQueryData(myCardsQuery.queryKey, (old: LibraryMembership[] | undefined) => [...(old ?? []), card]);
    },
    onError: (e) => setError(problem(e)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!givenName.trim()) {
      setError(t('join.nameRequired'));
      return;
    }
    setError(null);
    join.mutate();
  };
  return (
    <>
      <p>{t('join.intro')}</p>
      <p>{props.atDesk ? t('join.atDesk') : t('join.atOnce')}</p>
      <form className="join-form" onSubmit={submit} noValidate>
        <TextInput
          label={t('join.givenName')}
          value={givenName}
          onChange={setGivenName}
          isRequired
          autoComplete="given-name"
          errorMessage={error && !givenName.trim() ? error : undefined}
        />
        <TextInput
          label={t('join.familyName')}
          value={familyName}
          onChange={setFamilyName}
          autoComplete="family-name"
        />
        {props.categories.length > 1 ? (
          <SelectField
            label={t('join.category')}
            options={props.categories.map((c) => ({ id: c, label: t(`categories.${c}`) }))}
            value={category}
            onChange={(value) => setCategory(value as SelfRegistrationCategory)}
          />
        ) : null}
        <Button type="submit" className="button button-primary" isPending={join.isPending}>
          {t('join.submit')}
        </Button>
      </form>
      <div role="alert" className={error ? 'alert alert-error' : 'visually-empty'}>
        {error}
      </div>
    </>
  );
}
