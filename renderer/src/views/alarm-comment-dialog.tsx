/** The Add Comment dialog: one comment added to every alarm it was opened for. */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { FormField } from '../components/form-field.js';
import { ModalDialog } from '../components/modal-dialog.js';
import { useAppStore } from '../store/store.js';
import { runAlarmAction } from './alarm-operator-actions.js';

function CommentForm({ keys, onClose }: { keys: readonly string[]; onClose: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const operator = useAppStore((s) => s.consoleSettings?.operatorName ?? '');
  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    if (text.trim() === '') {
      setError('Write a comment');
      return;
    }
    setBusy(true);
    const done = await runAlarmAction('comment', keys, text.trim());
    setBusy(false);
    if (done) onClose();
  };
  return (
    <form className="modal-body" noValidate aria-busy={busy} onSubmit={(e) => void submit(e)}>
      <p className="modal-lead">
        {keys.length === 1
          ? 'A comment on this alarm'
          : `The same comment on ${keys.length} alarms`}
        {operator ? `, as ${operator}` : ''}.
      </p>
      <FormField label="Comment" error={error}>
        {(p) => (
          <textarea
            {...p}
            autoFocus
            rows={4}
            maxLength={2000}
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
          Add Comment
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The dialog, open while the console slice names alarms to comment on. */
export function AlarmCommentDialog() {
  const keys = useAppStore((s) => s.commentFor);
  const close = useAppStore((s) => s.closeComment);
  const titleId = useId();
  if (!keys) return null;
  return (
    <ModalDialog
      title="Add Comment"
      titleId={titleId}
      onClose={close}
      fallbackFocus={() =>
        document.querySelector<HTMLElement>('[role="grid"][aria-label="Alarms"]')
      }
    >
      <CommentForm keys={keys} onClose={close} />
    </ModalDialog>
  );
}
