import type { Me } from '@athenaeum/contracts';
import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FormAlert, SubmitButton, TextInput, useValidators } from '../../components/forms';
import { PageTitle } from '../../components/Page';
import { StatusMessage } from '../../components/states';
import { isLocale } from '../../app/i18n';
import { api, ApiError } from '../../lib/api';
import { endonym } from '../../lib/format';
import { useProblemMessage } from '../../lib/problems';

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
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const language = i18n.resolvedLanguage ?? i18n.language;

  const signUp = useMutation({
    mutationFn: (body: SignUpBody) => api<Me>('/accounts', { method: 'POST', body }),
    onError: (error) => setFieldErrors(error instanceof ApiError ? error.fieldErrors() : {}),
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
            validationErrors={fieldErrors}
            onSubmit={(event) => {
              event.preventDefault();
              const data = new FormData(event.currentTarget);
              signUp.mutate({
                displayName: String(data.get('displayName')).trim(),
                email: String(data.get('email')).trim(),
                password: String(data.get('password')),
                locale: isLocale(language) ? language : 'en',
              });
            }}
          >
            <FormAlert>{signUp.isError ? problem(signUp.error) : null}</FormAlert>
            <TextInput
              name="displayName"
              autoComplete="name"
              label={t('auth:fields.displayName')}
              description={t('auth:fields.displayNameHelp')}
              isRequired
              maxLength={100}
              validate={validators.required}
            />
            <TextInput
              name="email"
              type="email"
              autoComplete="email"
              label={t('auth:fields.email')}
              isRequired
              validate={validators.email}
            />
            <TextInput
              name="password"
              type="password"
              autoComplete="new-password"
              label={t('auth:fields.password')}
              description={t('auth:fields.passwordHelp', { count: 10 })}
              isRequired
              validate={validators.password}
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
