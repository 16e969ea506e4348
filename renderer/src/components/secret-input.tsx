/**
 * A secret's input row in a settings form: a password input that never shows the stored secret,
 * a badge saying whether one is set, and a button that clears it. The API settings (Client
 * Secret) and the team settings (PostgreSQL password) both use it, so the row behaves the same.
 */
import type { FieldControlProps } from './form-field.js';

/** Props of SecretInput. */
export interface SecretInputProps {
  /** The props FormField gives its control. */
  control: FieldControlProps;
  /** What the operator has typed (empty keeps the stored secret). */
  value: string;
  /** Whether a secret is stored. */
  isSet: boolean;
  /** The badge's test id. */
  statusTestId: string;
  /** Disables the Clear button while something else runs (it is always off with no secret). */
  busy?: boolean;
  /** Called with each new typed value. */
  onChange: (value: string) => void;
  /** Clears the stored secret. */
  onClear: () => void | Promise<void>;
}

/** The password input, its "set"/"not set" badge and its Clear button. */
export function SecretInput({
  control,
  value,
  isSet,
  statusTestId,
  busy = false,
  onChange,
  onClear,
}: SecretInputProps) {
  return (
    <div className="secret-row">
      <input
        {...control}
        type="password"
        autoComplete="new-password"
        value={value}
        placeholder={isSet ? '••••••••' : ''}
        onChange={(e) => onChange(e.target.value)}
      />
      <span
        className={`badge ${isSet ? 'badge-created' : 'badge-neutral'}`}
        data-testid={statusTestId}
      >
        {isSet ? 'set' : 'not set'}
      </span>
      <button
        type="button"
        className="small"
        disabled={!isSet || busy}
        onClick={() => void onClear()}
      >
        Clear
      </button>
    </div>
  );
}
