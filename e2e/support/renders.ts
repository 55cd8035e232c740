/**
 * Counting React re-renders in the built studio (no dev tools in a production build): React
 * stores each DOM element's current props under a `__reactProps$…` key and replaces that object
 * whenever the component that returns the element renders again (new JSX, new props). A setter
 * on that key counts the replacements.
 */
import type { Page } from '@playwright/test';

declare global {
  interface Window { __renderCounts?: Record<string, number> }
}

/** Start counting the re-renders of the element `data-testid=testId`; read them with `renders`. */
export async function countRenders(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).first().evaluate((el, id) => {
    const key = Object.keys(el).find((k) => k.startsWith('__reactProps$'));
    if (!key) throw new Error(`no React props on [data-testid=${id}]`);
    const counts = (window.__renderCounts ??= {});
    counts[id] = 0;
    let props: unknown = (el as unknown as Record<string, unknown>)[key];
    Object.defineProperty(el, key, { configurable: true, get: () => props, set: (v: unknown) => { props = v; counts[id]++; } });
  }, testId);
}

/** Re-renders of `testId` since countRenders. */
export const renders = (page: Page, testId: string) => page.evaluate((id) => window.__renderCounts?.[id] ?? NaN, testId);
