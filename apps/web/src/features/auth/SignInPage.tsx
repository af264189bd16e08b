import type { SessionInfo } from '@athenaeum/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useRouter } from '@tanstack/react-router';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { isLocale, switchLanguage } from '../../app/i18n';
import { ErrorSummary, FormAlert, SubmitButton, TextInput, useValidators } from '../../components/forms';
import { PageTitle } from '../../components/Page';
import { useForm } from '../../components/useForm';
import { api, ApiError } from '../../lib/api';
import { useProblemMessage } from '../../lib/problems';
import { rememberSession, safeRedirect, useMe } from '../../lib/session';
import { EmailInput } from './EmailInput';

export function SignInPage({ redirect }: { redirect?: string | undefined }) {
  const { t } = useTranslation(['auth', 'common', 'errors']);
  const problem = useProblemMessage();
  const validators = useValidators();
  const client = useQueryClient();
  const router = useRouter();
  const me = useMe();
  const form = useForm({ email: '', password: '' }, { email: validators.email, password: validators.required });

  const signIn = useMutation({
    mutationFn: (body: { email: string; password: string }) => api<SessionInfo>('/sessions', { method: 'POST', body }),
    onSuccess: async (info) => {
      rememberSession(client, info);
      if (isLocale(info.person.locale)) await switchLanguage(info.person.locale);
      router.history.push(safeRedirect(redirect));
    },
    onError: (error) => form.setServerErrors(error instanceof ApiError ? error.fieldErrors() : {}),
  });

  return (
    <div className="narrow">
      <PageTitle>{t('auth:signIn.title')}</PageTitle>
      {redirect && safeRedirect(redirect) !== '/' ? (
        <p className="alert alert-info">{t('auth:signIn.needed')}</p>
      ) : null}
      {me && !signIn.isPending && !signIn.isSuccess ? (
        <p className="alert alert-info">{t('auth:signIn.already', { name: me.displayName })}</p>
      ) : null}
      <Form
        className="form"
        validationBehavior="aria"
        onSubmit={form.handleSubmit((values) =>
          signIn.mutate({ email: values.email.trim(), password: values.password }),
        )}
      >
        {form.showSummary ? <ErrorSummary count={form.errorCount} /> : null}
        <FormAlert>{signIn.isError ? problem(signIn.error) : null}</FormAlert>
        <EmailInput {...form.field('email')} />
        <TextInput
          {...form.field('password')}
          type="password"
          autoComplete="current-password"
          label={t('auth:fields.password')}
          isRequired
        />
        <SubmitButton isPending={signIn.isPending}>{t('auth:signIn.submit')}</SubmitButton>
      </Form>
      <ul className="plain-list form-links">
        <li>
          <Link to="/forgot-password">{t('auth:signIn.forgot')}</Link>
        </li>
        <li>
          <Link to="/sign-up">{t('auth:signIn.noAccount')}</Link>
        </li>
      </ul>
    </div>
  );
}
