/**
 * The calendar picker's enhancement: the form (which works without JavaScript, `POST /app/connect`) is sent
 * as JSON to the same API scripts use, with the page's CSRF token, so a refusal shows under the form without
 * a reload. Served from our origin (no inline script), so a strict CSP can stay on.
 */
export const CONNECT_PAGE_SCRIPT = `
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.id !== 'picker') return;
  // A client calendar is connected only after its dry run was shown: the first post goes to the server page.
  if (form.dataset.type === 'client' && form.dataset.confirmed !== 'true') return;
  const choice = form.querySelector('input[name="calendarId"]:checked, input[name="calendarId"][type="hidden"]');
  if (!choice) return;
  event.preventDefault();
  const button = form.querySelector('button[type="submit"]');
  const out = document.getElementById('result');
  button.disabled = true;
  out.textContent = 'Connecting…';
  try {
    const response = await fetch('/api/' + form.dataset.type + '-calendars', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': form.dataset.csrf },
      body: JSON.stringify({ accountId: Number(form.dataset.account), calendarId: choice.value }),
    });
    if (response.status === 201) { window.location.assign('/app?done=connected'); return; }
    const body = await response.json().catch(() => ({}));
    out.textContent = body.error || ('Failed (' + response.status + ')');
  } catch (error) {
    out.textContent = 'BusyBridge could not be reached; try again';
  }
  button.disabled = false;
});
`;
