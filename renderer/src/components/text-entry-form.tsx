/**
 * A dialog's form for one piece of free text (an alarm comment, a note to a ticket): a lead
 * sentence, the text area, and Submit and Cancel. An empty text is refused with `emptyError`;
 * `send` says whether the dialog closes, or the sentence to show under the text.
 */
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { FormField } from './form-field.js';

/** What sending the text did: close the dialog, or keep it open (with a sentence, or none). */
export type TextEntryOutcome = { close: true } | { close: false; error?: string };

export function TextEntryForm({
  lead,
  label,
  maxLength,
  submitLabel,
  emptyError,
  send,
  onClose,
}: {
  lead: ReactNode;
  label: string;
  maxLength: number;
  submitLabel: string;
  emptyError: string;
  send: (text: string) => Promise<TextEntryOutcome>;
  onClose: () => void;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    if (text.trim() === '') {
      setError(emptyError);
      return;
    }
    setBusy(true);
    const outcome = await send(text.trim());
    setBusy(false);
    if (outcome.close) onClose();
    else if (outcome.error !== undefined) setError(outcome.error);
  };
  return (
    <form className="modal-body" noValidate aria-busy={busy} onSubmit={(e) => void submit(e)}>
      <p className="modal-lead">{lead}</p>
      <FormField label={label} error={error}>
        {(p) => (
          <textarea
            {...p}
            autoFocus
            rows={4}
            maxLength={maxLength}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setError(undefined);
            }}
          />
        )}
      </FormField>
      <div className="modal-actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
