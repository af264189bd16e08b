import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/Page';
import { ErrorState, Loading, StatusMessage } from '../../components/states';
import { api } from '../../lib/api';
import { rememberSession, useSession } from '../../lib/session';

export function SignOutPage() {
  const { t } = useTranslation(['auth', 'common']);
  const session = useSession();
  const client = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => api('/sessions/current', { method: 'DELETE' }),
    onSuccess: () => {
      rememberSession(client, null);
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    },
  });

  if (session.isPending) return <Loading />;
  const person = session.data?.person;
  return (
    <div className="narrow">
      <PageTitle>{t('auth:signOut.title')}</PageTitle>
      <StatusMessage>{person ? null : t('auth:signOut.done')}</StatusMessage>
      {signOut.isError ? <ErrorState error={signOut.error} /> : null}
      {person ? (
        <>
          <p>{t('auth:signOut.question', { name: person.displayName })}</p>
          <Button className="button button-primary" onPress={() => signOut.mutate()} isPending={signOut.isPending}>
            {t('auth:signOut.submit')}
          </Button>
        </>
      ) : (
        <p className="actions">
          <Link to="/sign-in" className="button button-primary">
            {t('auth:signIn.title')}
          </Link>
          <Link to="/" className="button">
            {t('common:nav.home')}
          </Link>
        </p>
      )}
    </div>
  );
}
