/**
 * The Allure results folder of a run, emptied without deleting a file and filled by reusing the
 * files of the runs before it.
 *
 * A certification run writes about 2,500 small files. Deleting the last run's files and creating
 * as many new ones is, on ext4 without a journal (the file system of many CI virtual machines, and
 * of the machine the benchmarks run on), quadratic in the kernel: for a minute or more after an
 * inode is freed, every file created in its block group walks past it (`find_inode_bit` skips
 * "recently deleted" inodes one by one). Measured there, four `certify` runs in a row spent 0.8,
 * 1.7, 2.5 and 2.8 s of system CPU, most of it in that walk, against 0.05 s to create the same
 * files in a fresh folder.
 *
 * So a new run moves the old files aside, into a spare folder beside the results
 * ({@link sparesOf}), and the results writer takes a spare for each file it writes
 * ({@link SpareFiles}): renamed to its new name and overwritten in place, it keeps its inode (and,
 * for a file of a few kilobytes, its disk block), so no inode is allocated or freed. What a run
 * does not reuse waits for the next; the spare folder never holds more than {@link MAX_SPARES}
 * files. The results folder itself only ever holds the files of its own run, as when it was
 * deleted.
 *
 * While a run goes on, its writers may name each file once it is whole in the folder's
 * announcements ({@link announcementsOf}), for the renderer to read it before the run ends.
 *
 * @module
 */
import { closeSync, constants, type Dirent, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The most files the spare folder keeps; past that, the rest of a cleared results folder is deleted. */
export const MAX_SPARES = 10_000;

/** The spare folder of a results folder: beside it, hidden (`reports/.allure-results-spare`). */
export function sparesOf(results: string): string {
  return join(dirname(results), `.${basename(results)}-spare`);
}

/**
 * The announcements of a results folder: the file in which the writers of a run name each results
 * file once it is whole, a name a line, so that a renderer can read it while the run goes on
 * (report/render.mjs). Beside the results folder, hidden (`reports/.allure-results-written`). A
 * renderer that listens makes it ({@link listenForAnnouncements}); a writer only appends to it when
 * it is there ({@link announce}).
 */
export function announcementsOf(results: string): string {
  return join(dirname(results), `.${basename(results)}-written`);
}

/** Makes the announcements file of `results` empty, for a renderer to listen to. */
export function listenForAnnouncements(results: string): void {
  mkdirSync(dirname(results), { recursive: true });
  closeSync(openSync(announcementsOf(results), 'w'));
}

/** Removes the announcements file of `results`: nobody listens any more. */
export function stopAnnouncements(results: string): void {
  rmSync(announcementsOf(results), { force: true });
}

/**
 * Names files of `results` that are whole, one a line, in its announcements file: appended in one
 * write, when the file is there (a renderer listens), else nothing.
 */
export function announce(results: string, names: readonly string[]): void {
  if (names.length === 0) return;
  let fd: number;
  try {
    // No O_CREAT: without a listener there is nothing to tell.
    fd = openSync(announcementsOf(results), constants.O_WRONLY | constants.O_APPEND);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return;
    throw error;
  }
  try {
    writeSync(fd, `${names.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}

/** The code of a file system error, if it has one. */
function codeOf(error: unknown): unknown {
  return error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
}

/** The entries of `folder`; none when it does not exist. */
function entriesOf(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Empties `results` for a new run and makes sure it exists: its files move into the spare folder,
 * under names of their own; anything else in it (a subfolder: Allure writes none) is deleted, and
 * so are its announcements.
 * Beyond `maxSpares` spare files, the surplus is deleted.
 */
export function clearResults(results: string, maxSpares = MAX_SPARES): void {
  // A listener of an earlier run that never ended (killed) is gone.
  stopAnnouncements(results);
  const spares = sparesOf(results);
  const entries = entriesOf(results);
  const files = filesOf(entries);
  const waiting = filesOf(entriesOf(spares));
  let toMove = files;
  let kept = waiting.length;
  if (files.length > 0 && files.length === entries.length && waiting.length <= files.length && waiting.length + files.length <= maxSpares) {
    // Only files to keep, and fewer spares waiting than them (as every run finds once one run wrote
    // fewer files than the run before it: the surplus stays): the spares join the files, and the
    // whole folder becomes the spare folder in one rename, rather than each file moved (unless
    // another run made spares in between: then file by file, below).
    moveFiles(spares, waiting, results, 'spare');
    rmSync(spares, { recursive: true, force: true });
    try {
      renameSync(results, spares);
      mkdirSync(results, { recursive: true });
      return;
    } catch (error) {
      if (!['EEXIST', 'ENOTEMPTY', 'ENOENT'].includes(String(codeOf(error)))) throw error;
      // Both listed again: the spares that joined the files go back with them.
      toMove = filesOf(entriesOf(results));
      kept = entriesOf(spares).length;
    }
  }
  mkdirSync(spares, { recursive: true });
  moveFiles(results, toMove, spares, 'result', maxSpares - kept);
  rmSync(results, { recursive: true, force: true, maxRetries: 3 });
  mkdirSync(results, { recursive: true });
}

/** The names of the files among `entries`. */
function filesOf(entries: readonly Dirent[]): string[] {
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

/**
 * Moves the files `names` of `from` into `to`, each under a name of its own (`tag` keeps apart
 * the names of the two ways a clearing moves files), at most `limit` of them; a file another run
 * or writer moved first is passed over.
 */
function moveFiles(from: string, names: readonly string[], to: string, tag: string, limit = Infinity): void {
  const stamp = `${process.pid}-${Date.now().toString(36)}-${tag}`;
  let moved = 0;
  for (const [index, name] of names.entries()) {
    if (moved >= limit) break;
    try {
      renameSync(join(from, name), join(to, `${stamp}-${index}`));
      moved += 1;
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') throw error; // another run or writer moved it first
    }
  }
}

/**
 * The spare files one writer may take. Several processes may take from one spare folder at once
 * (certify's workers): each starts at its own place in the list and passes over a file another
 * has taken.
 */
export class SpareFiles {
  readonly #folder: string;
  #names: string[] | undefined;

  constructor(folder: string) {
    this.#folder = folder;
  }

  /** The spare names, listed once, rotated to a place of this process's own. */
  #list(): string[] {
    if (this.#names === undefined) {
      const names = entriesOf(this.#folder).filter((entry) => entry.isFile()).map((entry) => entry.name);
      const start = names.length === 0 ? 0 : process.pid % names.length;
      this.#names = [...names.slice(start), ...names.slice(0, start)];
    }
    return this.#names;
  }

  /**
   * Writes `data` at `path` into a spare file, renamed there and overwritten in place. Returns
   * false, having written nothing, when no spare is left; the caller then writes a new file. A
   * spare that cannot be overwritten is removed, and the next one tried.
   */
  write(path: string, data: string | Buffer): boolean {
    const names = this.#list();
    for (let name = names.pop(); name !== undefined; name = names.pop()) {
      try {
        renameSync(join(this.#folder, name), path);
      } catch (error) {
        if (codeOf(error) === 'ENOENT') continue; // another process took it
        throw error;
      }
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      try {
        const fd = openSync(path, 'r+');
        try {
          // Cutting a file short costs the kernel more than looking at its size first.
          const size = fstatSync(fd).size;
          for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at, at);
          if (size > bytes.length) ftruncateSync(fd, bytes.length);
        } finally {
          closeSync(fd);
        }
      } catch {
        // A spare that cannot be overwritten (half written, or not a file any more) would be a stale
        // file under a new name: it goes, and the next spare, or a new file, takes its place.
        rmSync(path, { recursive: true, force: true });
        continue;
      }
      return true;
    }
    return false;
  }
}
