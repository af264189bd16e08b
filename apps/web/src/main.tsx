import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { isLocale, setupI18n, switchLanguage, hasStoredLanguage } from './app/i18n';
import { createAppRouter } from './app/router';
import { ApiError } from './lib/api';
import { sessionQuery } from './lib/session';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

const router = createAppRouter(queryClient);

async function start() {
  const i18n = await setupI18n();
  // A signed-in person's saved language applies on a device where no language was picked yet.
  void queryClient.fetchQuery(sessionQuery).then(
    (session) => {
      const saved = session?.person.locale;
      if (!hasStoredLanguage() && isLocale(saved) && saved !== i18n.language) void switchLanguage(saved);
    },
    () => undefined,
  );
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <QueryClientProvider client={queryClient}>
          <Suspense fallback={null}>
            <RouterProvider router={router} />
          </Suspense>
        </QueryClientProvider>
      </I18nextProvider>
    </StrictMode>,
  );
}

void start();
