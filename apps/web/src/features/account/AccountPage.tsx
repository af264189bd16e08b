import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/Page';
import { ErrorState, Loading } from '../../components/states';
import { useSession } from '../../lib/session';
import { ProfileSection } from './ProfileSection';
import { SessionsSection } from './SessionsSection';
import { TokensSection } from './TokensSection';

export function AccountPage() {
  const { t } = useTranslation('account');
  const session = useSession();
  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  const me = session.data?.person;
  if (!me) {
    // The session ended while the page was open.
    return (
      <>
        <PageTitle>{t('title')}</PageTitle>
        <p>
          <Link to="/sign-in" search={{ redirect: '/account' }}>
            {t('signInAgain')}
          </Link>
        </p>
      </>
    );
  }
  return (
    <>
      <PageTitle>{t('title')}</PageTitle>
      <nav aria-label={t('sectionsLabel')} className="in-page-nav">
        <ul>
          <li>
            <a href="#profile">{t('profile.title')}</a>
          </li>
          <li>
            <a href="#sessions">{t('sessions.title')}</a>
          </li>
          <li>
            <a href="#tokens">{t('tokens.title')}</a>
          </li>
        </ul>
      </nav>
      <ProfileSection me={me} />
      <SessionsSection />
      <TokensSection me={me} />
    </>
  );
}
