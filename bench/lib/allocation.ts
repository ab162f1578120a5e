/**
 * Memory allocated per operation, garbage included: V8's sampling heap profiler, through the
 * inspector, keeping the samples of objects that a later garbage collection freed. What a
 * conversation allocates is what the collector then spends CPU on, partly on threads of its own
 * while the main thread waits (on the mock OP's signature, say); per-operation CPU alone does not
 * show it apart.
 *
 * The profiler samples about one allocation per `SAMPLING_BYTES` and weighs each sample by that
 * interval, so the figure is an estimate; with a few hundred operations of about a megabyte each
 * it holds to a percent or two.
 */
import type { HeapProfiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { round } from './stats.js';

/** Sampling interval of the heap profiler, in bytes. */
const SAMPLING_BYTES = 4096;

/** KiB allocated per call of `operation`, over `count` calls one after the other (after a warm-up by the caller). */
export async function allocatedKibPerOperation(operation: () => Promise<unknown>, count: number): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    // The two include… flags are the point: without them only what is still alive is sampled.
    // (V8 has them; Node 20's type of the parameters does not name them yet.)
    const parameters: HeapProfiler.StartSamplingParameterType & { includeObjectsCollectedByMajorGC: boolean; includeObjectsCollectedByMinorGC: boolean } = {
      samplingInterval: SAMPLING_BYTES,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    };
    await session.post('HeapProfiler.startSampling', parameters);
    for (let i = 0; i < count; i += 1) await operation();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    let bytes = 0;
    const pending: HeapProfiler.SamplingHeapProfileNode[] = [profile.head];
    while (pending.length > 0) {
      const node = pending.pop()!;
      bytes += node.selfSize;
      pending.push(...node.children);
    }
    return round(bytes / count / 1024);
  } finally {
    session.disconnect();
  }
}
