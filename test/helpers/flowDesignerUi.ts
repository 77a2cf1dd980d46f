/**
 * What a person does in the designer's pages, for browser tests: pick in an antd Select, and in
 * the flow designer select a node by clicking it (never dragging), find a shape by its name and
 * rename the selected node. Shared so each journey reads as the steps a person takes.
 */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { eventually } from './eventually.ts';

export const testId = (page: Page, id: string) => page.getByTestId(id);

/** Picks `text` in an antd Select (with search) by typing it and pressing Enter. */
export async function choose(page: Page, selectTestId: string, text: string): Promise<void> {
  await testId(page, selectTestId).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/**
 * Opens an antd Select (its test id, or a locator of the select) and clicks the option whose
 * text is exactly `label`, scrolling the list down as a person does when the option is further
 * than the list shows (antd renders only the options in view).
 */
export async function pickOption(page: Page, select: string | Locator, label: string): Promise<void> {
  await (typeof select === 'string' ? testId(page, select) : select).click();
  // The open list: one that just closed may still be fading out (an antd "-leave" motion class).
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden):not([class*="-leave"]):visible');
  await expect.poll(() => open.count()).toBe(1);
  const list = open.locator('.ant-select-dropdown-list-holder');
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const option = open.locator('.ant-select-item-option').filter({ hasText: exact });
  await eventually(
    async () => {
      if ((await option.count()) > 0) return true;
      await list.hover();
      await page.mouse.wheel(0, 120);
      return false;
    },
    { message: `the option ${label} of ${String(select)}` },
  );
  await option.click();
}

/** Selects a node by clicking it (a click, not a drag): its context pad opens. */
export async function selectNode(page: Page, elementId: string): Promise<void> {
  // A click on blank canvas first, so clicking an already selected node opens its pad again.
  await clickBlankCanvas(page);
  await page.locator(`.djs-element.djs-shape[data-element-id="${elementId}"]`).click();
  await page.locator('.djs-context-pad.open').waitFor();
}

/** A click on the canvas's empty top-right corner: nothing selected, the process settings show. */
export async function clickBlankCanvas(page: Page): Promise<void> {
  const canvas = (await testId(page, 'flow-canvas').boundingBox())!;
  await page.mouse.click(canvas.x + canvas.width - 30, canvas.y + 30);
}

/** The id of the only shape on the canvas whose text is `name`. */
export async function shapeNamed(page: Page, name: string): Promise<string> {
  const ids = await page.locator('.djs-element.djs-shape').evaluateAll(
    (shapes, wanted) => shapes.filter((shape) => shape.querySelector('.djs-visual text')?.textContent === wanted).map((shape) => shape.getAttribute('data-element-id')!),
    name,
  );
  expect(ids, `one shape named ${name}`).toHaveLength(1);
  return ids[0];
}

/** Renames the selected node in the properties panel. */
export async function renameSelected(page: Page, name: string): Promise<void> {
  await testId(page, 'node-name').fill(name);
  await page.keyboard.press('Enter');
}
