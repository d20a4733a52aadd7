import { existsSync, readFileSync } from 'node:fs';
import { ALERT_TYPES } from '../../src/alerts/alert-types';
import { REAUTH_MESSAGE } from '../../src/calendars/calendar-view';
import { REDIRECT_PATHS } from '../../src/google/google-oauth.service';
import { CLIENT_SCOPES, HOME_SCOPES, PERSONAL_SCOPES } from '../../src/google/scopes';
import { projectPath } from '../../src/paths';
import { STEP_TITLES } from '../../src/setup/wizard-steps.service';

/** The operator docs quote the product; when the product changes, these fail until the docs follow. */
const doc = (name: string) => readFileSync(projectPath('docs', name), 'utf8');
const OPS_DOCS = [
  'install.md',
  'reverse-proxy.md',
  'backup-restore.md',
  'upgrade.md',
  'troubleshooting.md',
  'operations.md',
];

describe('operator docs', () => {
  it('are all linked from the README, right after the two commands', () => {
    const readme = readFileSync(projectPath('README.md'), 'utf8');
    const firstScreen = readme.slice(0, readme.indexOf('\n---'));
    expect(firstScreen.indexOf('npm test')).toBeGreaterThan(0);
    for (const name of OPS_DOCS) {
      expect(existsSync(projectPath('docs', name))).toBe(true);
      expect(firstScreen.indexOf(`(docs/${name})`)).toBeGreaterThan(firstScreen.indexOf('npm test'));
    }
  });

  it('install.md lists every scope the product asks for, the three redirect URIs and the wizard steps', () => {
    const install = doc('install.md');
    for (const scope of new Set([...HOME_SCOPES, ...CLIENT_SCOPES, ...PERSONAL_SCOPES])) {
      // The console lists email and profile by their long names.
      const shown = scope === 'email' || scope === 'profile' ? `.../auth/userinfo.${scope}` : scope;
      expect({ scope, listed: install.includes(`\`${shown}\``) }).toEqual({ scope, listed: true });
    }
    for (const redirect of REDIRECT_PATHS) expect(install).toContain(`https://<host>${redirect}`);
    for (const title of STEP_TITLES) expect(install).toContain(`**${title}`);
  });

  it('troubleshooting.md explains every alert type and calendar state, quoting the product', () => {
    const text = doc('troubleshooting.md');
    for (const [type, info] of Object.entries(ALERT_TYPES)) {
      expect({ type, explained: text.includes(`\`${type}\``) && text.includes(info.title) }).toEqual({
        type,
        explained: true,
      });
    }
    for (const state of ['ok', 'syncing', 'backoff', 'needs_reauth', 'error'])
      expect(text).toContain(`| \`${state}\` |`);
    for (const shown of ['ok ✓', 'warning ⚠', 'error ✗']) expect(text).toContain(shown);
    expect(text).toContain(REAUTH_MESSAGE);
  });
});
