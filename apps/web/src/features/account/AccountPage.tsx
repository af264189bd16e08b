import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/Page';
import { Loading } from '../../components/states';
import { useMe } from '../../lib/session';
import { ProfileSection } from './ProfileSection';
import { SessionsSection } from './SessionsSection';
import { TokensSection } from './TokensSection';

export function AccountPage() {
  const { t } = useTranslation('account');
  const me = useMe();
  if (!me) return <Loading />;
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
