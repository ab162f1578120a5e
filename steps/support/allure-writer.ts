/**
 * The Allure results writer of every Cucumber run of the harness (`certify`, the features,
 * `live`): the run's writer (report/results-writer.ts), without the verdict record that the
 * scenario's last hook attaches for the verdict formatter.
 * @module
 */
import { PlainAllureWriter, runResultsWriter } from '../../report/results-writer.js';
import { VERDICT_MEDIA_TYPE } from '../formatters/verdict-formatter.js';

/** The writer of a Cucumber run into `resultsDir` (see the module). */
export function harnessResultsWriter(resultsDir: string): PlainAllureWriter {
  return runResultsWriter(resultsDir, [VERDICT_MEDIA_TYPE]);
}
