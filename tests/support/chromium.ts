// A real browser for tests: Debian's Chromium, headless, driven by playwright-core (.ci/run installs it when missing).
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath(): string {
  const found = CANDIDATES.find((path): path is string => Boolean(path && existsSync(path)));
  if (!found) throw new Error("no Chromium found: apt-get install chromium (or set CHROMIUM_PATH)");
  return found;
}

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: chromiumPath(), headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
