/**
 * How the renderer (report/render.mjs) reads a results folder into Allure 3: every file but `.tmp`
 * ones, as Allure's own `readDirectory` does, but each file whole, and handed to Allure from
 * memory. Allure itself reads an attachment only when it writes the report, one after the other,
 * each through a stream of its own: for a certification's 2,000 attachments that was 0.7 of the
 * renderer's 2 seconds, most of it spent waiting on the disk.
 *
 * A file is read with one synchronous call: its few kilobytes come from the page cache, and the
 * promise API's file handle (open, stat, read and close, each a trip through libuv's pool, and a
 * handle to collect) cost the renderer more than the reading itself, 0.4 CPU-seconds a
 * certification.
 *
 * While a run goes on, the renderer may read each test's files as the run's writers announce them
 * (report/results-folder.ts `announce`), and the rest at the end.
 *
 * Plain JavaScript, as the renderer runs without a TypeScript loader.
 *
 * @module
 */
import { readFileSync, statSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BufferResultFile, PathResultFile } from '@allurereport/reader-api';

/** How many files may be with Allure at once, read and not yet taken in. */
const READ_AHEAD = 32;
/** A file larger than this (a video, a trace) is left for Allure to stream from the disk. */
const IN_MEMORY_LIMIT = 8 * 1024 * 1024;
/** How often, in milliseconds, the announcements of a run are looked at while it goes on. */
const LISTEN_INTERVAL = 100;

/**
 * A results file read into memory, whose content Allure takes without a stream. Allure's own
 * `BufferResultFile` gives its buffer as a stream, which Allure then reads back into a buffer,
 * copying it twice: for a certification's 2,500 files that cost the renderer 60 ms. The buffer
 * is still given as a copy, as one of Allure's readers (XML) writes into what it is given.
 */
class InMemoryResultFile extends BufferResultFile {
  async asBuffer() {
    return Buffer.from(this.buffer);
  }

  async asUtf8String() {
    return this.buffer.toString('utf8');
  }

  async asJson() {
    return JSON.parse(this.buffer.toString('utf8'));
  }
}

/**
 * Whether a results file is written once, under a name of its own (a test's result, a container,
 * an attachment): such a file may be read as soon as it is announced. Others (`executor.json`,
 * `environment.properties`, `categories.json`) may be written again at the end of the run.
 */
export const writtenOnce = (name) => !/[/\\]/.test(name) && /-(result|container)\.json$|-attachment(\.[^.]*)?$/.test(name);

/**
 * What gives Allure the files of a results folder: each read whole into memory, or by path when it
 * is large, and handed to Allure as it comes in (up to {@link READ_AHEAD} at once).
 * Each name is read once, whether it was announced during the run or found in the folder at its end.
 */
export function resultsReader(report, folder) {
  const seen = new Set();
  const queue = [];
  const settled = [];
  let reading = 0;
  const read = (name) => {
    const path = join(folder, name);
    try {
      const size = statSync(path).size;
      if (size > IN_MEMORY_LIMIT) return new PathResultFile(path, name);
      return new InMemoryResultFile(readFileSync(path), name);
    } catch (error) {
      console.error(`can't read result file ${name}`, error);
      return undefined;
    }
  };
  const pump = () => {
    while (reading < READ_AHEAD && queue.length > 0) {
      const name = queue.shift();
      reading += 1;
      const file = read(name);
      settled.push(Promise.resolve(file === undefined ? undefined : report.readResult(file)).catch((error) => {
        console.error(`can't read result file ${name}`, error);
      }).finally(() => {
        reading -= 1;
        pump();
      }));
    }
  };
  return {
    /** Reads `name` (once). */
    add(name) {
      if (name === '' || seen.has(name)) return;
      seen.add(name);
      queue.push(name);
      pump();
    },
    /** Reads every file of the folder not read yet (in name order, as Allure's `readDirectory`), and resolves once all are with Allure. */
    async rest() {
      const names = (await readdir(folder, { withFileTypes: true }))
        .filter((entry) => entry.isFile() && !entry.name.endsWith('.tmp'))
        .map((entry) => entry.name)
        .sort((a, b) => a.localeCompare(b));
      for (const name of names) this.add(name);
      while (queue.length > 0 || reading > 0) await Promise.all(settled.splice(0));
    },
  };
}

/**
 * Reads the files named in the announcements file `path` as the writers append them (a name a
 * line), every {@link LISTEN_INTERVAL} ms, until the returned function is called; that reads what
 * came last. A file not there (nothing announces) is no error: everything is read at the end.
 */
export function listen(path, reader) {
  let offset = 0;
  let partial = '';
  const chunk = Buffer.alloc(64 * 1024);
  /** The look at the file under way, if one is. */
  let looking;
  const look = async () => {
    try {
      const handle = await open(path, 'r');
      try {
        for (;;) {
          const { bytesRead } = await handle.read({ buffer: chunk, position: offset });
          if (bytesRead === 0) break;
          offset += bytesRead;
          const lines = (partial + chunk.toString('utf8', 0, bytesRead)).split('\n');
          partial = lines.pop() ?? '';
          for (const name of lines) if (writtenOnce(name)) reader.add(name);
        }
      } finally {
        await handle.close();
      }
    } catch {
      // Nothing announced (yet): the end of the run reads every file anyway.
    }
  };
  // One look at a time: a look that takes longer than the interval is not overtaken.
  const drain = () => (looking ??= look().finally(() => {
    looking = undefined;
  }));
  const timer = setInterval(drain, LISTEN_INTERVAL);
  return async () => {
    clearInterval(timer);
    await looking;
    await drain();
  };
}
