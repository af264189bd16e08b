import type { Me } from '@athenaeum/contracts';
import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { isLocale } from '../../app/i18n';
import { ErrorSummary, FormAlert, SubmitButton, TextInput, useValidators } from '../../components/forms';
import { PageTitle } from '../../components/Page';
import { StatusMessage } from '../../components/states';
import { useForm } from '../../components/useForm';
import { api, ApiError } from '../../lib/api';
import { endonym } from '../../lib/format';
import { useProblemMessage } from '../../lib/problems';
import { EmailInput } from './EmailInput';

interface SignUpBody {
  email: string;
  password: string;
  displayName: string;
  locale: string;
}

export function SignUpPage() {
  const { t, i18n } = useTranslation(['auth', 'common', 'errors']);
  const problem = useProblemMessage();
  const validators = useValidators();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const form = useForm(
    { displayName: '', email: '', password: '' },
    { displayName: validators.required, email: validators.email, password: validators.password },
  );

  const signUp = useMutation({
    mutationFn: (body: SignUpBody) => api<Me>('/accounts', { method: 'POST', body }),
    onError: (error) => form.setServerErrors(error instanceof ApiError ? error.fieldErrors() : {}),
  });

  return (
    <div className="narrow">
      <PageTitle>{t('auth:signUp.title')}</PageTitle>
      <StatusMessage>
        {signUp.isSuccess ? (
          <>
            <strong>{t('auth:signUp.doneTitle')}</strong> {t('auth:signUp.done', { email: signUp.data.email })}
          </>
        ) : null}
      </StatusMessage>
      {signUp.isSuccess ? (
        <p>
          <Link to="/sign-in" className="button button-primary">
            {t('auth:signIn.title')}
          </Link>
        </p>
      ) : (
        <>
          <p>{t('auth:signUp.intro')}</p>
          <Form
            className="form"
            validationBehavior="aria"
            onSubmit={form.handleSubmit((values) =>
              signUp.mutate({
                displayName: values.displayName.trim(),
                email: values.email.trim(),
                password: values.password,
                locale: isLocale(language) ? language : 'en',
              }),
            )}
          >
            {form.showSummary ? <ErrorSummary count={form.errorCount} /> : null}
            <FormAlert>{signUp.isError ? problem(signUp.error) : null}</FormAlert>
            <TextInput
              {...form.field('displayName')}
              autoComplete="name"
              label={t('auth:fields.displayName')}
              description={t('auth:fields.displayNameHelp')}
              isRequired
              maxLength={100}
            />
            <EmailInput {...form.field('email')} />
            <TextInput
              {...form.field('password')}
              type="password"
              autoComplete="new-password"
              label={t('auth:fields.password')}
              description={t('auth:fields.passwordHelp', { count: 10 })}
              isRequired
            />
            <p className="field-description">{t('auth:signUp.languageNote', { language: endonym(language) })}</p>
            <SubmitButton isPending={signUp.isPending}>{t('auth:signUp.submit')}</SubmitButton>
          </Form>
          <p className="form-links">
            <Link to="/sign-in">{t('auth:signUp.haveAccount')}</Link>
          </p>
        </>
      )}
    </div>
  );
}
