/**
 * Settings: where the HyperLinks menu file is (the customer's editable copy in the data
 * folder) and a button that opens its folder in the file manager.
 */
import { useState } from 'react';
import { callMain } from '../api.js';
import { useAppStore } from '../store/store.js';

/** The HyperLinks panel of the Settings view. */
export function HyperLinksFilePanel() {
  const file = useAppStore((s) => s.appInfo?.hyperLinksFile ?? null);
  const [problem, setProblem] = useState<string | null>(null);
  if (!file) return null;

  const onOpen = async (): Promise<void> => {
    setProblem(null);
    const r = await callMain((api) => api.showHyperLinksFile());
    if (!r.ok) setProblem(`The folder could not be opened: ${r.error.message}`);
  };

  return (
    <section className="panel" aria-labelledby="hyperlinks-file-title">
      <h2 id="hyperlinks-file-title">HyperLinks menu</h2>
      <p className="field-hint">
        The alarm context menu comes from this file. Edit it to change the menu; the app reads it
        again when it changes.
      </p>
      <p>
        <code data-testid="hyperlinks-file">{file}</code>
      </p>
      <button type="button" onClick={() => void onOpen()}>
        Open its folder
      </button>
      <p role="status" className={problem ? 'bad' : ''}>
        {problem ?? ''}
      </p>
    </section>
  );
}
