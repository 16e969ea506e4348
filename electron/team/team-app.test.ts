import { describe, expect, it } from 'vitest';
import { NO_TEAM, type TeamSettingsView } from '../../shared/team-settings.js';
import { teamChangeNotice } from './team-app.js';

function view(postgresUrl: string, tls: 'off' | 'require' = 'require'): TeamSettingsView {
  return {
    settings: { ...NO_TEAM, postgresUrl, tls },
    passwordSet: false,
    passwordStorage: {
      encryptionAvailable: true,
      backend: 'test',
      weak: false,
      weakConsent: false,
      persisted: false,
    },
    teamMode: postgresUrl !== '',
  };
}

const URL_A = 'postgres://console@db.example.com:5432/oceane';

describe('the notice after a change of the Team settings', () => {
  it('says the console joins, leaves or uses the new connection at the next start', () => {
    const join = teamChangeNotice(view(''), view(URL_A), { postgresUrl: URL_A });
    expect(join?.title).toBe('Restart the console to apply the Team settings');
    expect(join?.message).toContain('This console joins the team when the console is restarted');
    const leave = teamChangeNotice(view(URL_A), view(''), { postgresUrl: '' });
    expect(leave?.message).toContain('leaves the team and works on its own store again');
    const tls = teamChangeNotice(view(URL_A), view(URL_A, 'off'), { tls: 'off' });
    expect(tls?.message).toContain('The new team connection is used');
    const password = teamChangeNotice(view(URL_A), view(URL_A), { password: 'secret' });
    expect(password?.message).toContain('The new team connection is used');
    expect(password?.message).not.toContain('secret');
  });

  it('gives none when nothing of the connection changed', () => {
    expect(teamChangeNotice(view(URL_A), view(URL_A), { postgresUrl: URL_A })).toBeNull();
    expect(teamChangeNotice(view(''), view(''), {})).toBeNull();
  });
});
