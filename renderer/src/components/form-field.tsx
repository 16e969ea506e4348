/**
 * A labelled form field: the label, the control, an optional hint and the field's error. The
 * control gets the id the label points to, and aria-invalid and aria-describedby (error first,
 * then hint) while they apply, so the error and hint are read with it.
 */
import { useId } from 'react';
import type { ReactNode } from 'react';

/** What a field gives its control: spread these onto the input, select or textarea. */
export interface FieldControlProps {
  id: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

/** Props of FormField. */
export interface FormFieldProps {
  /** The label's content (its text is the control's accessible name). */
  label: ReactNode;
  /** The field's error, shown under it while set. */
  error?: string | undefined;
  /** A hint shown under the control. */
  hint?: string | undefined;
  /** Renders the control with the props it must carry. */
  children: (control: FieldControlProps) => ReactNode;
}

/** A labelled field with its hint and error. */
export function FormField({ label, error, hint, children }: FormFieldProps) {
  const id = useId();
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
