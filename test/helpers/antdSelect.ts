/**
 * Picking an option of an antd Select the way a person does: open it, wait until the list has
 * finished opening, click the option, and look that the list closed. CI saw a click on an
 * option now and then leave the list open and the value unchanged — a click during the list's
 * opening motion, likelier in the seconds after a bpmn-js page closed in the shared browser
 * (docs/testing.md) — so the click waits for the motion to end, and a person would click again
 * when nothing happened: so does this, at most twice more.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The open list only: one that just closed may still be fading out (an antd "-leave" motion class). */
export const openList = (page: Page): Locator => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden):not([class*="-leave"]):visible');

/** A list still in its opening motion. */
const opening = (page: Page): Locator => page.locator('.ant-select-dropdown[class*="-appear"], .ant-select-dropdown[class*="-enter"]');

export interface PickOptions {
  /** A multi-select, whose list stays open after a pick (the caller closes it). */
  multiple?: boolean;
  /** A string label matches an option containing it (default: the option's whole text). */
  contains?: boolean;
}

export async function pickOption(page: Page, select: Locator, label: string | RegExp, options: PickOptions = {}): Promise<void> {
  const wanted = typeof label === 'string' ? (options.contains ? label : new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)) : label;
  await select.click();
  await expect.poll(() => openList(page).count()).toBe(1);
  await expect.poll(() => opening(page).count()).toBe(0);
  const option = () => openList(page).locator('.ant-select-item-option').filter({ hasText: wanted }).first();
  if (options.multiple) {
    await option().click();
    return;
  }
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (attempt > 1 && (await openList(page).count()) !== 1) break;
    await option().click();
    const closed = await expect
      .poll(() => openList(page).count(), { timeout: 4_000 })
      .toBe(0)
      .then(
        () => true,
        () => false,
      );
    if (closed) return;
  }
  // The list closes with a motion of its own: on a busy machine it can take seconds.
  await expect.poll(() => openList(page).count()).toBe(0);
}
