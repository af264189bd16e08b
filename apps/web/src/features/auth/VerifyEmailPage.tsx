import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/Page';
import { ErrorState, Loading, StatusMessage } from '../../components/states';
import { api } from '../../lib/api';
import { useProblemMessage } from '../../lib/problems';
import { sessionKey, useSession } from '../../lib/session';

export function VerifyEmailPage({ token }: { token?: string | undefined }) {
  const { t } = useTranslation(['auth', 'common', 'errors']);
  const problem = useProblemMessage();
  const client = useQueryClient();
  const person = useSession().data?.person ?? null;
  // A query, not an effect: the token is used once even if the page renders twice, and the
  // answer is kept while the person stays on the page.
  const verification = useQuery({
    queryKey: ['verify-email', token],
    queryFn: async () => {
      await api('/accounts/verification', { method: 'POST', body: { token } });
      await client.invalidateQueries({ queryKey: sessionKey });
      return true;
    },
    enabled: Boolean(token),
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  const resend = useMutation({ mutationFn: () => api('/accounts/verification/resend', { method: 'POST' }) });

  return (
    <div className="narrow">
      <PageTitle>{t('auth:verify.title')}</PageTitle>
      <StatusMessage>{verification.isSuccess ? <strong>{t('auth:verify.done')}</strong> : null}</StatusMessage>
      {!token ? (
        <div role="alert" className="alert alert-error">
          {t('auth:verify.noToken')}
        </div>
      ) : verification.isPending ? (
        <Loading label={t('auth:verify.checking')} />
      ) : verification.isError ? (
        <ErrorState error={verification.error} />
      ) : null}
      {verification.isSuccess ? (
        <p className="actions">
          {person ? (
            <Link to="/account" className="button button-primary">
              {t('common:nav.account')}
            </Link>
          ) : (
            <Link to="/sign-in" className="button button-primary">
              {t('auth:signIn.title')}
            </Link>
          )}
        </p>
      ) : null}
      {(!token || verification.isError) && person && !person.emailVerified ? (
        <div className="panel">
          <p>{t('auth:verify.resendHelp')}</p>
          <Button className="button" onPress={() => resend.mutate()} isPending={resend.isPending}>
            {t('auth:verify.resend')}
          </Button>
          <StatusMessage>{resend.isSuccess ? t('auth:verify.resent', { email: person.email }) : null}</StatusMessage>
          {resend.isError ? (
            <p role="alert" className="alert alert-error">
              {problem(resend.error)}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
