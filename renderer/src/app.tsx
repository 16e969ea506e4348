/**
 * The app shell: navigation, the demo-mode banner, the current view and the notifications.
 * The view follows the URL hash (#alarms, #tickets, …) so that links and Back work.
 */
import { useEffect } from 'react';
import { HealthLight } from './components/health-light.js';
import { Toasts } from './components/toasts.js';
import { useAppStore } from './store/store.js';
import type { ViewName } from './store/store-types.js';
import { AlarmConsole } from './views/alarm-console.js';
import { DebugView } from './views/debug-view.js';
import { FailedRequestsView } from './views/failed-requests-view.js';
import { SettingsView } from './views/settings-view.js';
import { AddNoteDialog } from './views/ticket-life-panels.js';
import { TicketsView } from './views/tickets-view.js';

const NAV: readonly { view: ViewName; label: string }[] = [
  { view: 'alarms', label: 'Alarm Console' },
  { view: 'tickets', label: 'Tickets' },
  { view: 'failed', label: 'Failed Ticket Requests' },
  { view: 'settings', label: 'Settings' },
  { view: 'debug', label: 'Debug' },
];

const FAILED_COUNT_ID = 'nav-failed-count';

function viewFromHash(): ViewName {
  const name = window.location.hash.replace(/^#\/?/, '');
  return NAV.some((n) => n.view === name) ? (name as ViewName) : 'alarms';
}

function Navigation() {
  const view = useAppStore((s) => s.view);
  const showDebug = useAppStore((s) => s.settings?.element.displayDebugPage ?? false);
  const failedCount = useAppStore((s) => s.failedTotal);
  return (
    <nav className="nav" aria-label="Main">
      <span className="brand" aria-hidden="true">
        Oceane
      </span>
      <ul>
        {NAV.filter((n) => n.view !== 'debug' || showDebug).map((n) => {
          const count = n.view === 'failed' ? failedCount : 0;
          return (
            <li key={n.view}>
              <a
                href={`#${n.view}`}
                aria-current={view === n.view ? 'page' : undefined}
                aria-describedby={count > 0 ? FAILED_COUNT_ID : undefined}
              >
                {n.label}
                {count > 0 ? (
                  <span className="nav-count" aria-hidden="true">
                    {count.toLocaleString()}
                  </span>
                ) : null}
              </a>
              {/* The link keeps its name; the count is its description ("3 failed"). */}
              {count > 0 ? (
                <span id={FAILED_COUNT_ID} className="visually-hidden">
                  {`${count.toLocaleString()} failed`}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      <HealthLight />
    </nav>
  );
}

function DemoBanner() {
  const demo = useAppStore((s) => s.settings?.demoMode ?? s.appInfo?.demoMode ?? false);
  if (!demo) return null;
  return (
    // A landmark of its own, so that all the page's content is inside one (axe `region`).
    <aside className="demo-banner" aria-label="Demo mode">
      Connected to the built-in Oceane simulator — to use a real Oceane, set its Base URL, Client ID
      and Client Secret in Settings
    </aside>
  );
}

/** The Debug page was turned off (or never on): say so and offer the way back. */
function DebugHidden() {
  return (
    <section className="view" aria-labelledby="debug-hidden-title">
      <h1 id="debug-hidden-title" className="view-title">
        Debug page is off
      </h1>
      <p>
        Turn on Display Debug Page in <a href="#settings">Settings</a> to see the ticket queue.
      </p>
    </section>
  );
}

function CurrentView() {
  const view = useAppStore((s) => s.view);
  const showDebug = useAppStore((s) => s.settings?.element.displayDebugPage ?? false);
  switch (view) {
    case 'alarms':
      return <AlarmConsole />;
    case 'tickets':
      return <TicketsView />;
    case 'failed':
      return <FailedRequestsView />;
    case 'settings':
      return <SettingsView />;
    case 'debug':
      return showDebug ? <DebugView /> : <DebugHidden />;
  }
}

/** The whole app. */
export function App() {
  const setView = useAppStore((s) => s.setView);
  useEffect(() => {
    const sync = (): void => setView(viewFromHash());
    sync();
    window.addEventListener('hashchange', sync);
    return () => window.removeEventListener('hashchange', sync);
  }, [setView]);

  return (
    <div className="app">
      <Navigation />
      <div className="main">
        <DemoBanner />
        <main className="content">
          <CurrentView />
        </main>
      </div>
      <Toasts />
      <AddNoteDialog />
    </div>
  );
}
