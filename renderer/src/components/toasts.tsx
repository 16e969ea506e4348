/** Notifications as toasts: role="alert" for warnings and errors, role="status" otherwise. */
import { useAppStore } from '../store/store.js';

/** The toast stack. */
export function Toasts() {
  const toasts = useAppStore((s) => s.toasts);
  const dismiss = useAppStore((s) => s.dismissToast);
  return (
    <div className="toasts" aria-label="Notifications">
      {toasts.map((t) => (
        <div
          key={t.id}
          role={t.level === 'error' || t.level === 'warning' ? 'alert' : 'status'}
          className={`toast toast-${t.level}`}
        >
          <div className="toast-text">
            <strong>{t.title}</strong>
            {t.message ? <span>{t.message}</span> : null}
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss notification"
            onClick={() => dismiss(t.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
