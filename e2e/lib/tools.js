// Finding the host tools the tests need. On CI (CI=true) a missing tool is
// a failure; elsewhere the tests that need it are skipped, saying why.

import { accessSync, constants } from "node:fs";
import path from "node:path";

export const isCI = process.env.CI === "true";

/** which returns the full path of a command on PATH, or null. */
export function which(cmd) {
  if (cmd.includes("/")) return executable(cmd) ? cmd : null;
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (!dir) continue;
    const full = path.join(dir, cmd);
    if (executable(full)) return full;
  }
  return null;
}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** chromiumPath is the browser the tests drive: $COURSEPACK_CHROMIUM, or
 * Debian's /usr/bin/chromium. */
export function chromiumPath() {
  return process.env.COURSEPACK_CHROMIUM || "/usr/bin/chromium";
}

/**
 * skipUnless returns the `skip` option for a test that needs the tools
 * named: false when they are all there, or on CI (where the test then runs
 * and fails on the missing tool), else the reason to skip.
 * @param {...string} tools command names or paths
 */
export function skipUnless(...tools) {
  const missing = tools.filter((t) => !which(t));
  if (missing.length === 0 || isCI) return false;
  return `not installed: ${missing.join(", ")} (apt-get install chromium libxml2-utils)`;
}

/** need throws when a tool is missing, naming it. */
export function need(tool) {
  const found = which(tool);
  if (!found) throw new Error(`${tool} is not installed (apt-get install chromium libxml2-utils unzip)`);
  return found;
}
