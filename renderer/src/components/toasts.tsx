/**
 * Notifications as toasts: role="alert" for warnings and errors, role="status" otherwise. A
 * toast may carry one action, a button that opens a view (e.g. Failed Ticket Requests).
 */
import { useAppStore } from '../store/store.js';
import type { Toast } from '../store/store-types.js';

function ToastView({ toast }: { toast: Toast }) {
  const dismiss = useAppStore((s) => s.dismissToast);
  const action = toast.action;
  return (
    <div
      role={toast.level === 'error' || toast.level === 'warning' ? 'alert' : 'status'}
      className={`toast toast-${toast.level}`}
    >
      <div className="toast-text">
        <strong>{toast.title}</strong>
        {toast.message ? <span>{toast.message}</span> : null}
        {action ? (
          <button
            type="button"
            className="small toast-action"
            onClick={() => {
              // The view follows the hash (app.tsx), so Back returns where the operator was.
              window.location.hash = action.view;
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
        aria-label="Dismiss notification"
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
    <div className="toasts" aria-label="Notifications">
      {toasts.map((t) => (
        <ToastView key={t.id} toast={t} />
      ))}
    </div>
  );
}
