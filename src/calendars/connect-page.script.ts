/**
 * The calendar picker's only behaviour: POST the choice as JSON to the same API scripts use, with the
 * CSRF token from the page. Served from our origin (no inline script), so a strict CSP can stay on.
 */
export const CONNECT_PAGE_SCRIPT = `
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-calendar]');
  if (!button) return;
  const root = document.getElementById('picker');
  const out = document.getElementById('result');
  button.disabled = true;
  out.textContent = 'Connecting…';
  const response = await fetch('/api/' + root.dataset.type + '-calendars', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': root.dataset.csrf },
    body: JSON.stringify({ accountId: Number(root.dataset.account), calendarId: button.dataset.calendar }),
  });
  if (response.status === 201) { window.location.assign('/app'); return; }
  const body = await response.json().catch(() => ({}));
  out.textContent = body.error || ('Failed (' + response.status + ')');
  button.disabled = false;
});
`;
