// A person with only a keyboard: Tab / Shift+Tab to a control, keys on it, and what has the
// focus now (which element, whether its focus ring shows, whether focus fell to <body>). No
// mouse and no assertions here: the journey asserts on what focused() reports.
import type { Locator, Page } from '@playwright/test';

export interface FocusState {
  /** "button \"Add\"", "input[combobox] \"Principal\"", or "body" when focus was lost. */
  element: string;
  onBody: boolean;
  /** A visible focus ring: an outline of some width, or a box-shadow. */
  ring: boolean;
}

export class KeyboardUser {
  constructor(readonly page: Page) {}

  async press(...keys: string[]): Promise<void> {
    for (const key of keys) await this.page.keyboard.press(key);
  }

  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }

  /**
   * Presses Tab (Shift+Tab when `backwards`) until `target` has the focus; fails after `max`
   * presses, naming where the focus went. Returns every stop on the way, the target included.
   */
  async tabTo(
    target: Locator,
    options: { backwards?: boolean; max?: number } = {},
  ): Promise<FocusState[]> {
    const key = options.backwards === true ? 'Shift+Tab' : 'Tab';
    const max = options.max ?? 80;
    const visited: FocusState[] = [];
    for (let i = 0; i < max; i++) {
      if (await this.has(target)) return visited;
      await this.page.keyboard.press(key);
      visited.push(await this.focused());
    }
    if (await this.has(target)) return visited;
    const path = visited.map((stop) => stop.element).join(' → ');
    throw new Error(`${key} ×${max} never reached ${target.toString()}: ${path}`);
  }

  /** Presses Tab until a control inside `container` (not the container itself) has the focus. */
  async tabInto(container: Locator, max = 40): Promise<void> {
    for (let i = 0; i < max; i++) {
      await this.page.keyboard.press('Tab');
      const inside = await container.evaluate(
        (node) => node !== document.activeElement && node.contains(document.activeElement),
      );
      if (inside) return;
    }
    throw new Error(`Tab ×${max} never reached a control in ${container.toString()}`);
  }

  /** Opens a section from the sidebar: Tab or Shift+Tab to its link, then Enter (the stops on the way). */
  async openSection(section: string): Promise<FocusState[]> {
    const link = this.page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: new RegExp(`^${section}(, \\d+ pending)?$`) });
    // Shift+Tab when the link is behind the focus (the main area, a later link), else Tab.
    const behind = await link.evaluate((node) => {
      const active = document.activeElement;
      if (active === null || active === document.body) return false;
      return (active.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING) !== 0;
    });
    const stops = await this.tabTo(link, { backwards: behind });
    await this.page.keyboard.press('Enter');
    return stops;
  }

  async has(target: Locator): Promise<boolean> {
    return target.evaluate((node) => node === document.activeElement).catch(() => false);
  }

  /** The focused element and whether it shows a focus ring. */
  async focused(): Promise<FocusState> {
    return this.page.evaluate(() => {
      const active = document.activeElement as HTMLElement | null;
      if (active === null || active === document.body) {
        return { element: 'body', onBody: true, ring: false };
      }
      const style = getComputedStyle(active);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
      const role = active.getAttribute('role');
      const label =
        active.getAttribute('aria-label') ??
        (active as HTMLInputElement).labels?.[0]?.textContent ??
        active.textContent ??
        '';
      const name = label.replace(/\s+/g, ' ').trim().slice(0, 40);
      return {
        element: `${active.tagName.toLowerCase()}${role ? `[${role}]` : ''} "${name}"`,
        onBody: false,
        ring: outline || shadow,
      };
    });
  }
}
