/**
 * Skipped scenarios show as skipped in Allure. allure-js-commons ranks a passed step above a
 * skipped one when it sums up a test, so a scenario whose Background passed and whose next step
 * was skipped comes out "passed": never green for a scenario that did not run. After the run,
 * the live formatter marks each skipped scenario's Allure result skipped, with its reason.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A scenario that was skipped, as the live formatter knows it. */
export interface SkippedScenario {
  /** The feature file, relative to the project (`features/real-op/real-op.feature`). */
  uri: string;
  /** The scenario's name. */
  name: string;
  /** Why it was skipped. */
  reason: string;
}

/** Marks the Allure results of the skipped scenarios in `resultsDir` skipped, with the reason. Returns how many it changed. */
export async function markSkippedInAllure(resultsDir: string, skipped: readonly SkippedScenario[]): Promise<number> {
  if (skipped.length === 0) return 0;
  const byFullName = new Map(skipped.map((s) => [`${s.uri}#${s.name}`, s]));
  let changed = 0;
  for (const file of (await readdir(resultsDir).catch(() => [])).filter((f) => f.endsWith('-result.json'))) {
    const path = join(resultsDir, file);
    const result = JSON.parse(await readFile(path, 'utf8')) as { fullName?: string; status?: string; statusDetails?: Record<string, unknown> };
    const fullName = result.fullName ?? '';
    const match = [...byFullName.entries()].find(([key]) => fullName.endsWith(`:${key}`) || fullName === key)?.[1];
    if (match === undefined || result.status === 'skipped') continue;
    result.status = 'skipped';
    result.statusDetails = { ...result.statusDetails, message: match.reason };
    await writeFile(path, JSON.stringify(result));
    changed += 1;
  }
  return changed;
}
