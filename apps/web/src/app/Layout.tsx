import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { Suspense, useEffect, useRef, type MouseEvent } from 'react';
import { Button, I18nProvider } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Loading } from '../components/states';
import { PatronMenu, StaffMenu } from '../features/circulation/nav/CirculationMenus';
import { api, ApiError } from '../lib/api';
import { rememberSession, useSession } from '../lib/session';
import { focusPageHeading } from './focus-on-navigation';
import { LanguageSwitcher } from './LanguageSwitcher';
import { languageTag } from './i18n';

function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
  const main = document.getElementById('main');
  if (!main) return;
  event.preventDefault();
  main.focus();
  main.scrollIntoView();
}

/**
 * After a client-side page change, move focus to the new page's heading (as a page load would),
 * also when the heading comes only once the page's data has loaded (see focus-on-navigation.ts).
 */
function useFocusOnNavigation() {
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    let stopWaiting = () => {};
    const frame = requestAnimationFrame(() => {
      stopWaiting = focusPageHeading(document);
    });
    return () => {
      cancelAnimationFrame(frame);
      stopWaiting();
    };
  }, [pathname]);
}

function UserArea() {
  const { t } = useTranslation();
  const session = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const href = useRouterState({ select: (state) => state.location.href });
  const signOut = useMutation({
    mutationFn: () => api('/sessions/current', { method: 'DELETE' }),
    onSuccess: () => forget(),
    onError: (error) => {
      // Already signed out elsewhere: the same outcome. Otherwise the sign-out page offers a retry.
      if (error instanceof ApiError && error.status === 401) forget();
      else void navigate({ to: '/sign-out', ignoreBlocker: true });
    },
  });
  const forget = () => {
    rememberSession(client, null);
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    // The session is gone, and with it any unsaved edits: a page's "unsaved changes" guard must
    // not hold the librarian on a page they can no longer save.
    void navigate({ to: '/sign-out', ignoreBlocker: true });
  };

  if (session.isPending) return <span className="user-area" />;
  const person = session.data?.person;
  if (!person) {
    const onAuthPage = /^\/(sign-in|sign-up|sign-out)/.test(href);
    return (
      <div className="user-area">
        <Link to="/sign-in" search={onAuthPage ? {} : { redirect: href }} className="button button-small">
          {t('nav.signIn')}
        </Link>
        <Link to="/sign-up" className="button button-small button-primary">
          {t('nav.signUp')}
        </Link>
      </div>
    );
  }
  return (
    <div className="user-area">
      <span className="signed-in-as">
        {t('header.signedInAs')}{' '}
        <Link to="/account" className="user-name">
          <bdi>{person.displayName}</bdi>
        </Link>
      </span>
      <Button className="button button-small" onPress={() => signOut.mutate()} isPending={signOut.isPending}>
        {t('nav.signOut')}
      </Button>
    </div>
  );
}

function MainNav() {
  const { t } = useTranslation(['common', 'catalog', 'circulation']);
  const person = useSession().data?.person;
  return (
    <nav aria-label={t('nav.label')} className="main-nav">
      <ul>
        <li>
          <Link to="/" activeOptions={{ exact: true }}>
            {t('nav.home')}
          </Link>
        </li>
        <li>
          <Link to="/search">{t('catalog:nav.search')}</Link>
        </li>
        <li>
          <Link to="/organizations">{t('nav.directory')}</Link>
        </li>
        {person ? (
          <li>
            <Link to="/account">{t('nav.account')}</Link>
          </li>
        ) : null}
        {person ? (
          <li>
            <Link to="/me/holds">{t('circulation:holds.nav')}</Link>
          </li>
        ) : null}
        {person ? (
          <li>
            <Link to="/me/data">{t('circulation:myData.nav')}</Link>
          </li>
        ) : null}
        {person ? (
          <li>
            <PatronMenu />
          </li>
        ) : null}
        {person ? (
          <li>
            <StaffMenu />
          </li>
        ) : null}
        {person?.isPlatformAdmin ? (
          <li>
            <Link to="/admin/emails">{t('nav.outbox')}</Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** The frame of every page: skip link, header with navigation and language, main, footer. */
export function Layout() {
  const { t, i18n } = useTranslation();
  useFocusOnNavigation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return (
    <I18nProvider locale={languageTag(language)}>
      <a href="#main" className="skip-link" onClick={skipToMain}>
        {t('skipToContent')}
      </a>
      <header className="site-header">
        <div className="header-row container">
          <Link to="/" className="brand">
            <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <path d="M6 26h20M8 12h16M16 5l10 6H6z M9 13v11M14 13v11M18 13v11M23 13v11" />
            </svg>
            <span>{t('siteName')}</span>
          </Link>
          <div className="header-tools">
            <LanguageSwitcher />
            <UserArea />
          </div>
        </div>
        <div className="container">
          <MainNav />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="container main">
        {/* A page whose code or texts are still loading shows a spinner in place: the page around
            it (and <main>, which focus is on meanwhile) stays. */}
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>{t('footer.about')}</p>
          <p>
            <a href="/api/docs">{t('footer.apiDocs')}</a>
          </p>
        </div>
      </footer>
    </I18nProvider>
  );
}
