import type { ReactNode } from 'react';
import {
  Button,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
  TextField,
  type Key,
  type TextFieldProps,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';

type TextInputProps = Omit<TextFieldProps, 'children' | 'validate'> & {
  label: string;
  description?: string;
  inputLang?: string;
  /** The error to show (from useForm); the field is marked invalid while there is one. */
  errorMessage?: string | undefined;
};

/** A labelled text field; its description and errors are tied to the input for screen readers. */
export function TextInput({ label, description, inputLang, className, errorMessage, ...props }: TextInputProps) {
  return (
    <TextField
      {...props}
      isInvalid={errorMessage ? true : undefined}
      className={['field', className].filter(Boolean).join(' ')}
    >
      <Label>
        {label}
        {props.isRequired ? <RequiredMark /> : null}
      </Label>
      <Input lang={inputLang} />
      {description ? (
        <Text slot="description" className="field-description">
          {description}
        </Text>
      ) : null}
      <FieldError className="field-error">{errorMessage}</FieldError>
    </TextField>
  );
}

function RequiredMark() {
  const { t } = useTranslation();
  return (
    <span className="required" aria-hidden="true" title={t('form.required')}>
      {' *'}
    </span>
  );
}

export interface Option {
  id: string;
  label: string;
  lang?: string;
}

interface SelectFieldProps {
  label: string;
  options: Option[];
  value: string | null;
  onChange: (value: string) => void;
  name?: string;
  description?: string;
  isRequired?: boolean;
  isDisabled?: boolean;
  placeholder?: string;
  className?: string;
  errorMessage?: string | undefined;
}

/** A labelled single-choice list (React Aria Select). */
export function SelectField({
  label,
  options,
  value,
  onChange,
  description,
  className,
  errorMessage,
  ...rest
}: SelectFieldProps) {
  const { t } = useTranslation();
  return (
    <Select
      {...rest}
      className={['field', className].filter(Boolean).join(' ')}
      value={value || null}
      onChange={(key: Key | null) => {
        if (key !== null) onChange(String(key));
      }}
      placeholder={rest.placeholder ?? t('form.choose')}
      isInvalid={errorMessage ? true : undefined}
    >
      <Label>
        {label}
        {rest.isRequired ? <RequiredMark /> : null}
      </Label>
      <Button className="select-button">
        <SelectValue />
        <span aria-hidden="true" className="select-chevron">
          ▾
        </span>
      </Button>
      {description ? (
        <Text slot="description" className="field-description">
          {description}
        </Text>
      ) : null}
      <FieldError className="field-error">{errorMessage}</FieldError>
      <Popover className="popover">
        <ListBox className="listbox" items={options}>
          {(option) => (
            <ListBoxItem id={option.id} textValue={option.label} className="listbox-item" lang={option.lang}>
              {option.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}

/** After a submit with errors: how many fields need attention, announced at once. */
export function ErrorSummary({ count }: { count: number }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="alert alert-error">
      {t('form.errorSummary', { count })}
    </div>
  );
}

/** A form-level message, announced at once (server errors, summaries). */
export function FormAlert({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div role="alert" className="alert alert-error">
      {children}
    </div>
  );
}

export function SubmitButton({ children, isPending }: { children: ReactNode; isPending?: boolean }) {
  return (
    <Button type="submit" className="button button-primary" isPending={isPending}>
      {children}
    </Button>
  );
}

/** The WHATWG e-mail syntax (what `type="email"` accepts). */
export const EMAIL_PATTERN =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

export function useValidators() {
  const { t } = useTranslation();
  return {
    required: (value: string) => (value.trim() === '' ? t('form.requiredError') : null),
    email: (value: string) =>
      value.trim() === '' ? t('form.requiredError') : EMAIL_PATTERN.test(value.trim()) ? null : t('form.emailError'),
    password: (value: string) =>
      value === '' ? t('form.requiredError') : value.length < 10 ? t('form.passwordTooShort', { count: 10 }) : null,
  };
}
