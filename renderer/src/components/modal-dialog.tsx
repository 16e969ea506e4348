/**
 * A modal dialog on the native `<dialog>` (the page behind it becomes inert), with focus kept
 * inside on Tab, Escape to close, and focus returned to where it was when it closes.
 */
import { useEffect, useRef } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Props of ModalDialog. */
export interface ModalDialogProps {
  title: string;
  titleId: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  /** Where focus goes on close when the element focused at opening is gone. */
  fallbackFocus?: () => HTMLElement | null;
}

/** An open modal dialog, labelled by its title. */
export function ModalDialog({
  title,
  titleId,
  onClose,
  children,
  className,
  fallbackFocus,
}: ModalDialogProps) {
  const fallback = useRef(fallbackFocus);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const back = document.activeElement as HTMLElement | null;
    const fallbackTarget = fallback.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      if (back && back !== document.body && back.isConnected) back.focus();
      else fallbackTarget?.()?.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>): void => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (el) => el.offsetParent !== null,
    );
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-modal="true"
      className={`modal ${className ?? ''}`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={onKeyDown}
    >
      <header className="modal-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      {children}
    </dialog>
  );
}
