/**
 * Notifications as toasts in a compact stack in the bottom corner (issue 12): successes and
 * information fade, warnings and errors stay until dismissed, and the stack never grows over
 * more than a small corner of the grid (it scrolls instead). role="alert" for warnings and
 * errors, role="status" otherwise, inside a labelled region landmark. A toast may carry one
 * action: a view to open, or the Failed Ticket Requests row of its ticket. Text only: the
 * message is rendered as text, and any web page inside it is named, not shown.
 */
import { withoutMarkup } from '../../../shared/plain-text.js';
import { useAppStore } from '../store/store.js';
import type { Toast } from '../store/store-types.js';

function ToastView({ toast }: { toast: Toast }) {
  const dismiss = useAppStore((s) => s.dismissToast);
  const showFailedRequest = useAppStore((s) => s.showFailedRequest);
  const action = toast.action;
  return (
    <div
      role={toast.level === 'error' || toast.level === 'warning' ? 'alert' : 'status'}
      className={`toast toast-${toast.level}`}
    >
      <div className="toast-text">
        <strong>{toast.title}</strong>
        {toast.message ? (
          <span className="toast-message">{withoutMarkup(toast.message)}</span>
        ) : null}
        {action ? (
          <button
            type="button"
            className="small toast-action"
            onClick={() => {
              if (action.failedTicket) showFailedRequest(action.failedTicket);
              // The view follows the hash (app.tsx), so Back returns where the operator was.
              else window.location.hash = action.view;
              dismiss(toast.id);
            }}
          >
            {action.label}
          </button>
        ) : null}
      </div>
      <button
        type="button"
        className="icon-button"
        aria-label={`Dismiss: ${toast.title}`}
        onClick={() => dismiss(toast.id)}
      >
        ×
      </button>
    </div>
  );
}

/** The toast stack. */
export function Toasts() {
  const toasts = useAppStore((s) => s.toasts);
  return (
    <section className="toasts" aria-label="Notifications">
      {toasts.map((t) => (
        <ToastView key={t.id} toast={t} />
      ))}
    </section>
  );
}
