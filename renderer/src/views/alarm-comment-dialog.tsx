/** The Add Comment dialog: one comment added to every alarm it was opened for. */
import { useId } from 'react';
import { TextEntryForm } from '../components/text-entry-form.js';
import { ModalDialog } from '../components/modal-dialog.js';
import { useAppStore } from '../store/store.js';
import { runAlarmAction } from './alarm-operator-actions.js';

function CommentForm({ keys, onClose }: { keys: readonly string[]; onClose: () => void }) {
  const operator = useAppStore((s) => s.consoleSettings?.operatorName ?? '');
  return (
    <TextEntryForm
      lead={
        <>
          {keys.length === 1
            ? 'A comment on this alarm'
            : `The same comment on ${keys.length} alarms`}
          {operator ? `, as ${operator}` : ''}.
        </>
      }
      label="Comment"
      maxLength={2000}
      submitLabel="Add Comment"
      emptyError="Write a comment"
      send={async (text) =>
        (await runAlarmAction('comment', keys, text)) ? { close: true } : { close: false }
      }
      onClose={onClose}
    />
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
