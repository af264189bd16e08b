import type { ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import { TextInput } from '../../components/forms';

type EmailInputProps = Omit<ComponentProps<typeof TextInput>, 'label' | 'type' | 'autoComplete' | 'isRequired'>;

/** The required e-mail address field of the sign-in, sign-up and forgotten-password forms. */
export function EmailInput(props: EmailInputProps) {
  const { t } = useTranslation('auth');
  return <TextInput {...props} type="email" autoComplete="email" label={t('fields.email')} isRequired />;
}
