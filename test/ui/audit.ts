import { AxeBuilder } from '@axe-core/playwright';
import { source as AXE_SOURCE } from 'axe-core';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Page } from 'playwright-core';
import { projectPath } from '../../src/paths';

/** Every page is audited at a phone width and a desktop width. */
export const WIDTHS = [390, 1280] as const;

/** The folder the audit writes one full-page screenshot per page and width to (gitignored). */
export const PAGE_SHOTS = projectPath('test-artifacts', 'screenshots', 'pages');

/**
 * axe-core rules a page cannot meet, by rule id, with the reason. Every page meets every rule today; a rule
 * goes here only with the reason it cannot be met, never to make a run pass.
 */
export const DISABLED_RULES: Record<string, string> = {};

/** axe impacts that fail the audit. */
const FAILING_IMPACTS = new Set(['serious', 'critical']);
/** Moderate rules held to all the same: two navigation landmarks with one name leave a screen reader guessing. */
const ALSO_FAILING_RULES = new Set(['landmark-unique']);

/** Widths the layout check alone sweeps for a page whose columns must hold at any width. */
const SWEEP = Array.from({ length: 15 }, (_, i) => 320 + i * 80);

/**
 * Everything wrong with the page as it stands, at both widths: serious or critical axe-core violations, content
 * spilling out of its box (columns colliding) or the page scrolling sideways, and controls whose keyboard
 * focus is not visible. Saves a screenshot per width on the way. With `sweep`, the layout is also checked at
 * every 80 px from 320 to 1440. An empty list is a pass.
 */
export async function auditPage(page: Page, name: string, options: { sweep?: boolean } = {}): Promise<string[]> {
  const problems: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(PAGE_SHOTS, `${name}-${width}.png`), fullPage: true });
    problems.push(...(await axeViolations(page)).map((v) => `${width}px ${v}`));
    problems.push(...(await spills(page)).map((s) => `${width}px ${s}`));
  }
  for (const width of options.sweep ? SWEEP : []) {
    await page.setViewportSize({ width, height: 900 });
    problems.push(...(await spills(page)).map((s) => `${width}px ${s}`));
  }
  problems.push(...(await invisibleFocus(page)));
  return problems;
}

export async function prepareShots(): Promise<void> {
  await fs.mkdir(PAGE_SHOTS, { recursive: true });
}

/** What AxeBuilder sends instead of axe-core's 500 kB source when the page already holds it. */
const AXE_ALREADY_LOADED = 'if (!window.axe) throw new Error("axe-core is not loaded in this page")';

async function axeViolations(page: Page): Promise<string[]> {
  // axe-core goes into each page once, not twice per run as AxeBuilder would send it (most of an audit's time).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  // Legacy mode runs axe inside the page itself instead of opening a helper page per run (the pages have no iframes).
  const results = await new AxeBuilder({ page, axeSource: AXE_ALREADY_LOADED })
    .setLegacyMode()
    .options({ resultTypes: ['violations'] })
    .disableRules(Object.keys(DISABLED_RULES))
    .analyze();
  return results.violations
    .filter((v) => FAILING_IMPACTS.has(v.impact ?? '') || ALSO_FAILING_RULES.has(v.id))
    .map(
      (v) =>
        `axe ${v.id} (${v.impact}) on ${v.nodes.length} node(s): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
    );
}

/**
 * Boxes whose content runs past their edge without a scroll bar (text running into the next column), and a
 * page wider than the screen. Inline elements have no box of their own, and hidden ones (a closed
 * confirmation) are not seen; both are skipped.
 */
function spills(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) found.push(`page scrolls sideways (${root.scrollWidth}px wide)`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const style = getComputedStyle(el);
      if (style.display === 'inline' || el.clientWidth === 0 || !el.checkVisibility()) continue;
      if (style.overflowX !== 'visible') continue;
      if (el.scrollWidth > el.clientWidth + 1) {
        const label = `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''}`;
        found.push(
          `content spills out of ${label} (${el.scrollWidth}px in ${el.clientWidth}px): "${(el.textContent ?? '').trim().slice(0, 40)}"`,
        );
      }
    }
    return found;
  });
}

/**
 * Every control a keyboard reaches, focused the way a keyboard user's Tab would show it, whose focus shows no
 * outline of at least 2 px (nor a focus shadow). One real Tab press puts Chromium in keyboard mode, so the
 * focus() calls that follow match :focus-visible exactly as Tab would; all of it in one round trip.
 */
async function invisibleFocus(page: Page): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Tab');
  return page.evaluate(() => {
    const focusable = 'a[href], button, input, select, textarea, summary, [tabindex]';
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(focusable))) {
      if (el.tabIndex < 0 || (el as HTMLButtonElement).disabled || !el.checkVisibility({ visibilityProperty: true }))
        continue;
      if (el instanceof HTMLInputElement && el.type === 'hidden') continue;
      el.focus({ preventScroll: true });
      if (document.activeElement !== el) continue;
      const style = getComputedStyle(el);
      const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      if (el.matches(':focus-visible') && (outlined || style.boxShadow !== 'none')) continue;
      const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
      found.push(
        `focus not visible on ${el.tagName.toLowerCase()}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''} "${text}"`,
      );
    }
    (document.activeElement as HTMLElement | null)?.blur();
    return found;
  });
}
