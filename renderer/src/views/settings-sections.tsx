/**
 * The sections of the Settings page below the connector's form, each with its own Save: the
 * Ticket follow-up (ticket-life-settings-section.tsx), the Alarm Console
 * (console-settings-section.tsx) and the Team (team-settings-section.tsx).
 */
import { ConsoleSettingsSection } from './console-settings-section.js';
import { TeamSettingsSection } from './team-settings-section.js';
import { TicketLifeSettingsSection } from './ticket-life-settings-section.js';

/** The Alarm Console and Team sections. */
export function ConsoleAndTeamSettings() {
  return (
    <>
      <TicketLifeSettingsSection />
      <ConsoleSettingsSection />
      <TeamSettingsSection />
    </>
  );
}
