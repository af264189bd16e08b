import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, Link, redirect } from '@tanstack/react-router';
import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../components/Page';
import { AccountPage } from '../features/account/AccountPage';
import { OutboxPage, validateOutboxSearch } from '../features/admin/OutboxPage';
import { ForgotPasswordPage } from '../features/auth/ForgotPasswordPage';
import { ResetPasswordPage } from '../features/auth/ResetPasswordPage';
import { SignInPage } from '../features/auth/SignInPage';
import { SignOutPage } from '../features/auth/SignOutPage';
import { SignUpPage } from '../features/auth/SignUpPage';
import { VerifyEmailPage } from '../features/auth/VerifyEmailPage';
import { ImportsPage, validateImportsSearch } from '../features/catalog/ImportsPage';
import { validateCatalogSearch } from '../features/catalog/search-params';
import { SearchPage } from '../features/catalog/SearchPage';
import { WorkPage } from '../features/catalog/WorkPage';
import { validateNewRecordSearch, validateRecordEditorSearch } from '../features/cataloguing/search';
import { CalendarPage } from '../features/circulation/calendar/CalendarPage';
import { DeskPage } from '../features/circulation/desk/DeskPage';
import { HoldListsPage } from '../features/circulation/holds/HoldListsPage';
import { MyChildrenPage } from '../features/circulation/guardians/MyChildrenPage';
import { IllPage } from '../features/circulation/ill/IllPage';
import { MyIllPage } from '../features/circulation/ill/MyIllPage';
import { MyHoldsPage } from '../features/circulation/patron/MyHoldsPage';
import { MyDataPage } from '../features/circulation/patron/MyDataSection';
import { JoinLibraryPage } from '../features/circulation/registration/JoinLibraryPage';
import { HomePage } from '../features/home/HomePage';
import { CopyCataloguingPage } from '../features/interop/CopyCataloguingPage';
import { HarvestSourcesPage } from '../features/interop/HarvestSourcesPage';
import { DirectoryPage, validateDirectorySearch } from '../features/organizations/DirectoryPage';
import { MembersPage, validateMembersSearch } from '../features/organizations/MembersPage';
import { OrganizationPage } from '../features/organizations/OrganizationPage';
import { sessionQuery } from '../lib/session';
import { Layout } from './Layout';

interface RouterContext {
  queryClient: QueryClient;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>{t('notFound.title')}</PageTitle>
      <p>{t('notFound.text')}</p>
      <p>
        <Link to="/">{t('nav.home')}</Link>
      </p>
    </>
  );
}

const tokenSearch = (search: Record<string, unknown>): { token?: string | undefined } => ({
  token: typeof search.token === 'string' && search.token ? search.token : undefined,
});

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Layout,
  notFoundComponent: NotFound,
});

/** Sends a signed-out visitor to sign-in, remembering where they wanted to go. */
async function requireSignIn({ context, location }: { context: RouterContext; location: { href: string } }) {
  const session = await context.queryClient.ensureQueryData(sessionQuery);
  if (!session) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
}

const indexRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: HomePage });

// Some hosts and bookmarks open the app as /index.html; that is the home page too.
const indexHtmlRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/index.html',
  beforeLoad: () => {
    throw redirect({ to: '/', replace: true });
  },
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string | undefined } => ({
    redirect: typeof search.redirect === 'string' ? search.redirect : undefined,
  }),
  component: function SignInRoute() {
    return <SignInPage redirect={signInRoute.useSearch().redirect} />;
  },
});

const signUpRoute = createRoute({ getParentRoute: () => rootRoute, path: '/sign-up', component: SignUpPage });
const signOutRoute = createRoute({ getParentRoute: () => rootRoute, path: '/sign-out', component: SignOutPage });

const verifyRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/verify-email',
  validateSearch: tokenSearch,
  component: function VerifyRoute() {
    return <VerifyEmailPage token={verifyRoute.useSearch().token} />;
  },
});

const forgotRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/forgot-password',
  component: ForgotPasswordPage,
});

const resetRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  validateSearch: tokenSearch,
  component: function ResetRoute() {
    return <ResetPasswordPage token={resetRoute.useSearch().token} />;
  },
});

const accountRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/account',
  beforeLoad: requireSignIn,
  component: AccountPage,
});

const directoryRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/organizations',
  validateSearch: validateDirectorySearch,
  component: function DirectoryRoute() {
    return <DirectoryPage search={directoryRoute.useSearch()} />;
  },
});

const organizationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/organizations/$id',
  component: function OrganizationRoute() {
    const { id } = organizationRoute.useParams();
    return <OrganizationPage key={id} id={id} />;
  },
});

const membersRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/organizations/$id/members',
  validateSearch: validateMembersSearch,
  beforeLoad: requireSignIn,
  component: function MembersRoute() {
    const { id } = membersRoute.useParams();
    return <MembersPage key={id} id={id} search={membersRoute.useSearch()} />;
  },
});

const outboxRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/emails',
  validateSearch: validateOutboxSearch,
  beforeLoad: requireSignIn,
  component: function OutboxRoute() {
    return <OutboxPage search={outboxRoute.useSearch()} />;
  },
});

const searchRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/search',
  validateSearch: validateCatalogSearch,
  component: function SearchRoute() {
    return <SearchPage search={searchRoute.useSearch()} />;
  },
});

const workRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/works/$id',
  component: function WorkRoute() {
    const { id } = workRoute.useParams();
    return <WorkPage key={id} id={id} />;
  },
});

const catalogImportsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/organizations/$id/catalog-imports',
  validateSearch: validateImportsSearch,
  beforeLoad: requireSignIn,
  component: function CatalogImportsRoute() {
    const { id } = catalogImportsRoute.useParams();
    return <ImportsPage key={id} id={id} search={catalogImportsRoute.useSearch()} />;
  },
});

const circulationDeskRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/organizations/$id/circulation',
  beforeLoad: requireSignIn,
  component: function CirculationDeskRoute() {
    const { id } = circulationDeskRoute.useParams();
    return <DeskPage key={id} id={id} />;
  },
});

const harvestSourcesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/organizations/$id/harvest-sources',
  beforeLoad: requireSignIn,
  component: function HarvestSourcesRoute() {
    const { id } = harvestSourcesRoute.useParams();
    return <HarvestSourcesPage key={id} id={id} />;
  },
});

const copyCataloguingRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/organizations/$id/copy-cataloguing',
  beforeLoad: requireSignIn,
  component: function CopyCataloguingRoute() {
    const { id } = copyCataloguingRoute.useParams();
    return <CopyCataloguingPage key={id} id={id} />;
  },
});

// The cataloguing editor (with MARC validation) loads on demand: only staff need it.
const RecordEditorPage = lazy(() =>
  import('../features/cataloguing/RecordEditorPage').then((m) => ({ default: m.RecordEditorPage })),
);
const NewRecordPage = lazy(() =>
  import('../features/cataloguing/RecordEditorPage').then((m) => ({ default: m.NewRecordPage })),
);

const recordEditorRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/cataloguing/records/$id',
  validateSearch: validateRecordEditorSearch,
  beforeLoad: requireSignIn,
  component: function RecordEditorRoute() {
    const { id } = recordEditorRoute.useParams();
    return <RecordEditorPage key={id} id={id} created={recordEditorRoute.useSearch().created} />;
  },
});

const newRecordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/cataloguing/new',
  validateSearch: validateNewRecordSearch,
  beforeLoad: requireSignIn,
  component: function NewRecordRoute() {
    const search = newRecordRoute.useSearch();
    return <NewRecordPage key={search.library} library={search.library} flavour={search.flavour} />;
  },
});

const calendarRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/organizations/$id/calendar',
  beforeLoad: requireSignIn,
  component: function CalendarRoute() {
    const { id } = calendarRoute.useParams();
    return <CalendarPage key={id} id={id} />;
  },
});

const holdListsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/organizations/$id/holds',
  beforeLoad: requireSignIn,
  component: function HoldListsRoute() {
    const { id } = holdListsRoute.useParams();
    return <HoldListsPage key={id} id={id} />;
  },
});

const illRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/organizations/$id/ill',
  beforeLoad: requireSignIn,
  component: function IllRoute() {
    const { id } = illRoute.useParams();
    return <IllPage key={id} id={id} />;
  },
});

const myHoldsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/me/holds',
  beforeLoad: requireSignIn,
  component: MyHoldsPage,
});

const myDataRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/me/data',
  beforeLoad: requireSignIn,
  component: MyDataPage,
});

const joinLibraryRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/libraries/$id/join',
  beforeLoad: requireSignIn,
  component: function JoinLibraryRoute() {
    const { id } = joinLibraryRoute.useParams();
    return <JoinLibraryPage key={id} id={id} />;
  },
});

const myIllRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/me/ill-requests',
  beforeLoad: requireSignIn,
  component: MyIllPage,
});

const myChildrenRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/me/children',
  beforeLoad: requireSignIn,
  component: MyChildrenPage,
});

const routeTree = rootRoute.addChildren([
  indexRoute,
  indexHtmlRoute,
  signInRoute,
  signUpRoute,
  signOutRoute,
  verifyRoute,
  forgotRoute,
  resetRoute,
  accountRoute,
  directoryRoute,
  organizationRoute,
  membersRoute,
  outboxRoute,
  searchRoute,
  workRoute,
  catalogImportsRoute,
  circulationDeskRoute,
  myHoldsRoute,
  myDataRoute,
  myIllRoute,
  myChildrenRoute,
  joinLibraryRoute,
  holdListsRoute,
  calendarRoute,
  illRoute,
  harvestSourcesRoute,
  copyCataloguingRoute,
  recordEditorRoute,
  newRecordRoute,
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
