/** The Alarm Console view: the toolbar, the grid with its detail pane, and its dialogs. */
import { useEffect } from 'react';
import { callMain } from '../api.js';
import { ViewFrame } from '../components/view-frame.js';
import { useAppStore } from '../store/store.js';
import { AlarmCommentDialog } from './alarm-comment-dialog.js';
import { AlarmConsoleToolbar } from './alarm-console-toolbar.js';
import { AlarmContextMenu } from './alarm-context-menu.js';
import { AlarmDetailPane } from './alarm-detail-pane.js';
import { AlarmGrid } from './alarm-grid.js';
import { CreateTicketDialog } from './create-ticket-dialog.js';

/** Loads the console settings (operator name, ticket defaults) once the console shows. */
function useConsoleSettings(): void {
  useEffect(() => {
    if (useAppStore.getState().consoleSettings) return;
    void callMain((api) => api.getConsoleSettings()).then((r) => {
      if (r.ok) useAppStore.getState().setConsoleSettings(r.value);
    });
  }, []);
}

/** The Alarm Console. */
export function AlarmConsole() {
  useConsoleSettings();
  return (
    <ViewFrame title="Alarm Console" className="alarm-console" toolbar={<AlarmConsoleToolbar />}>
      <div className="console-body">
        <AlarmGrid />
        <AlarmDetailPane />
      </div>
      <AlarmContextMenu />
      <CreateTicketDialog />
      <AlarmCommentDialog />
    </ViewFrame>
  );
}
