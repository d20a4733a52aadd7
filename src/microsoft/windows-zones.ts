import { DateTime } from 'luxon';

/**
 * Windows zone names Graph may answer in originalStartTimeZone and recurrenceTimeZone, with the IANA zone CLDR
 * maps them to (windowsZones.xml, territory 001). Names not listed are tried as IANA names; Graph accepts both.
 */
const WINDOWS_TO_IANA: Record<string, string> = {
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'Dateline Standard Time': 'Etc/GMT+12',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Central America Standard Time': 'America/Guatemala',
  'Canada Central Standard Time': 'America/Regina',
  'Central Standard Time (Mexico)': 'America/Mexico_City',
  'Eastern Standard Time': 'America/New_York',
  'SA Pacific Standard Time': 'America/Bogota',
  'Atlantic Standard Time': 'America/Halifax',
  'Newfoundland Standard Time': 'America/St_Johns',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'Argentina Standard Time': 'America/Buenos_Aires',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'GTB Standard Time': 'Europe/Bucharest',
  'FLE Standard Time': 'Europe/Kiev',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'Israel Standard Time': 'Asia/Jerusalem',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Russian Standard Time': 'Europe/Moscow',
  'Arabian Standard Time': 'Asia/Dubai',
  'Pakistan Standard Time': 'Asia/Karachi',
  'India Standard Time': 'Asia/Kolkata',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'W. Australia Standard Time': 'Australia/Perth',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
};

const IANA_TO_WINDOWS: Record<string, string> = Object.fromEntries(
  Object.entries(WINDOWS_TO_IANA)
    .filter(([w]) => w !== 'Coordinated Universal Time')
    .map(([w, i]) => [i, w]),
);

/** The IANA zone for a Windows or IANA name; undefined for unknown names and `tzone://Microsoft/Custom`. */
export function ianaFromWindows(name: string | undefined | null): string | undefined {
  if (!name) return undefined;
  if (WINDOWS_TO_IANA[name]) return WINDOWS_TO_IANA[name];
  return DateTime.now().setZone(name).isValid ? name : undefined;
}

/** The name to send Graph for an IANA zone: the Windows name when there is one (older clients know only those). */
export function windowsFromIana(iana: string): string {
  return IANA_TO_WINDOWS[iana] ?? iana;
}
