// A node:test reporter that keeps `npm test` short: a dot per passing test, an F per failure, then
// the failures with their messages and a line of totals. Each failure is also printed the moment it
// happens, so a run that is cut short (a CI time limit) still shows what failed. Plain JavaScript:
// node loads reporters before any TypeScript loader.

/** The first lines of a failure's cause, without node's stack frames. */
function describeError(error) {
  const cause = error?.cause ?? error;
  const text = String(cause?.stack ?? cause?.message ?? cause ?? 'failed');
  return text
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .slice(0, 14)
    .join('\n');
}

/** A failure as printed: its heading, its name and file, then its cause, indented. */
function describeFailure(heading, failure) {
  const file = failure.file ? `  (${failure.file.replace(process.cwd() + '/', '')})` : '';
  return `\n${heading} ${failure.name}${file}\n${describeError(failure.error).replace(/^/gm, '   ')}\n`;
}

/** The reporter: an async generator over the test runner's events. */
export default async function* summaryReporter(source) {
  const started = Date.now();
  const failures = [];
  let passed = 0;
  let skipped = 0;
  let todo = 0;
  let column = 0;
  const mark = (c) => {
    column += 1;
    return column % 100 === 0 ? `${c}\n` : c;
  };
  /** Records a failure and prints it at once, on a line of its own. */
  const fail = (failure) => {
    failures.push(failure);
    column = 0;
    return describeFailure('F', failure);
  };
  for await (const event of source) {
    const data = event.data ?? {};
    if (event.type === 'test:pass' && data.details?.type !== 'suite') {
      if (data.skip) skipped += 1;
      else if (data.todo) todo += 1;
      else passed += 1;
      yield mark(data.skip ? 's' : '.');
    } else if (event.type === 'test:fail' && data.details?.type !== 'suite') {
      // A suite fails when a test in it fails, or when its hooks do (that has no test of its own).
      yield fail({ name: data.name, file: data.file, error: data.details?.error });
    } else if (event.type === 'test:fail' && data.details?.error?.failureType === 'hookFailed') {
      yield fail({ name: `${data.name} (a hook)`, file: data.file, error: data.details.error });
    } else if (event.type === 'test:diagnostic' && data.nesting > 0) {
      // What a test said of itself (t.diagnostic), such as a run done again; not the runner's own totals.
      column = 0;
      yield `\nNOTE ${data.message}\n`;
    }
  }
  let out = '\n';
  for (const [i, failure] of failures.entries()) {
    out += describeFailure(`${i + 1})`, failure);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  out += `\n${passed + failures.length + skipped + todo} tests: ${passed} passed, ${failures.length} failed, ${skipped} skipped${todo ? `, ${todo} to do` : ''} (${seconds} s)\n`;
  yield out;
}
