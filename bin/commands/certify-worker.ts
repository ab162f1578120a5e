/**
 * One worker of `certify --jobs N` (see certify-workers.ts): runs its share of every pass, then
 * sends the results, each with its pass and its place in that pass's plan, to the process that
 * started it.
 *
 * @module
 */
import { runFeatures } from '../command.js';
import type { WorkerReport, WorkerTask } from './certify-workers.js';

const task = JSON.parse(process.argv[2] ?? '{}') as WorkerTask;
const { clearCollectedResults, collectedScenarioResults } = await import('../../steps/formatters/verdict-formatter.js');
clearCollectedResults();
const ends: number[] = [];
const run = await runFeatures('certify', task.passes, {
  shard: { index: task.index, count: task.count },
  afterPass: () => ends.push(collectedScenarioResults().length),
});
const results = collectedScenarioResults().map(({ scenario, result }, at) => {
  const pass = ends.findIndex((end) => at < end);
  return { pass, place: run.plans[pass]?.indexOf(scenario) ?? -1, result };
});
const misplaced = results.find((r) => r.pass < 0 || r.place < 0);
if (misplaced) throw new Error(`certification worker: the result of "${misplaced.result.title}" matches no scenario of its pass's plan`);
const report: WorkerReport = { selected: run.selected, success: run.success, results };
process.send!(report, () => process.exit(0));
