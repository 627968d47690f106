// The harness refuses to start without what the journeys need, saying what to do, rather
// than failing later inside Playwright or the host.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireRendererAndChromium } from './harness';

const dir = mkdtempSync(join(tmpdir(), 'feedgate-harness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('requireRendererAndChromium', () => {
  it('names the missing piece and how to get it', () => {
    const present = join(dir, 'present');
    writeFileSync(present, '');
    writeFileSync(join(dir, 'index.html'), '');
    const missing = join(dir, 'missing');

    expect(() =>
      requireRendererAndChromium({ rendererDir: missing, cliBundle: present, chromium: present }),
    ).toThrow(`${missing}/index.html is missing: build the renderer first`);
    expect(() =>
      requireRendererAndChromium({ rendererDir: dir, cliBundle: missing, chromium: present }),
    ).toThrow(`${missing} is missing: run \`npm run build:cli\``);
    expect(() =>
      requireRendererAndChromium({ rendererDir: dir, cliBundle: present, chromium: missing }),
    ).toThrow(`${missing} is missing: install Debian's Chromium (apt-get install chromium)`);
    expect(() =>
      requireRendererAndChromium({ rendererDir: dir, cliBundle: present, chromium: present }),
    ).not.toThrow();
  });
});
