/** Small statistics and a timing loop for the benchmarks (no benchmark library is installed). */

/** The median of `values` (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Smallest and largest of `values`. */
export function range(values: readonly number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** One operation measured in rounds. */
export interface Measured {
  /** Operations per second: the median over the measured rounds. */
  perSecond: number;
  /** Operations per second of the slowest and fastest measured round. */
  perSecondRange: [number, number];
  /** The median time of one operation over every operation of the measured rounds, in ms. */
  medianMs: number;
  /** The 10th and 90th percentile of one operation's time, in ms. */
  p10p90Ms: [number, number];
  /**
   * CPU time of this process (user + system, every thread) per operation, in ms: the median over
   * the rounds. Other processes on a shared machine inflate wall-clock times far more than this.
   */
  cpuMsPerOp: number;
  /** Operations in the measured rounds (warm-up excluded). */
  operations: number;
  rounds: number;
}

/** How long to run. */
export interface TimingPlan {
  /** Warm-up rounds (not counted). */
  warmupRounds: number;
  /** Measured rounds. */
  rounds: number;
  /** The duration of a round, in ms: operations run back to back until it has passed. */
  roundMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))));
  return sorted[index]!;
}

/** Accumulates the rounds of one contestant. */
export class Contestant {
  readonly rates: number[] = [];
  readonly times: number[] = [];
  readonly cpuPerOp: number[] = [];

  constructor(
    readonly name: string,
    readonly operation: () => Promise<unknown>,
  ) {}

  /** Runs one round of `roundMs`; records it unless it is a warm-up. */
  async round(roundMs: number, record: boolean): Promise<void> {
    const times: number[] = [];
    const cpu = process.cpuUsage();
    const started = performance.now();
    let now = started;
    while (now - started < roundMs) {
      const t0 = performance.now();
      await this.operation();
      now = performance.now();
      times.push(now - t0);
    }
    const used = process.cpuUsage(cpu);
    if (!record) return;
    this.cpuPerOp.push((used.user + used.system) / 1000 / times.length);
    this.rates.push((times.length * 1000) / (now - started));
    this.times.push(...times);
  }

  result(): Measured {
    const sorted = [...this.times].sort((a, b) => a - b);
    const [lo, hi] = range(this.rates);
    return {
      perSecond: round(median(this.rates)),
      perSecondRange: [round(lo), round(hi)],
      medianMs: round(median(sorted), 3),
      p10p90Ms: [round(percentile(sorted, 10), 3), round(percentile(sorted, 90), 3)],
      cpuMsPerOp: round(median(this.cpuPerOp), 3),
      operations: this.times.length,
      rounds: this.rates.length,
    };
  }
}

/**
 * The ratio of two contestants' rates round by round (round i of `a` over round i of `b`, which ran
 * next to each other): on a machine whose load drifts, steadier than the ratio of the medians.
 */
export function pairedRatio(a: Contestant, b: Contestant): { median: number; range: [number, number] } {
  const { median: middle, range: extremes } = spread(a.rates.map((rate, i) => rate / b.rates[i]!));
  return { median: middle, range: extremes };
}

/** A ratio taken round by round: its median, quartiles and range. */
export interface RoundSpread {
  median: number;
  /** The 25th and 75th percentile. */
  quartiles: [number, number];
  range: [number, number];
}

function spread(values: readonly number[]): RoundSpread {
  const sorted = [...values].sort((x, y) => x - y);
  const [lo, hi] = range(values);
  return { median: round(median(values), 2), quartiles: [round(percentile(sorted, 25), 2), round(percentile(sorted, 75), 2)], range: [round(lo, 2), round(hi, 2)] };
}

/**
 * `a`'s CPU per operation over `b`'s, round by round (the rounds of one cycle ran back to back, so
 * each pair shares the machine's state of the moment): below 1, `a` is the cheaper.
 */
export function pairedCpuRatio(a: Contestant, b: Contestant): RoundSpread {
  return spread(a.cpuPerOp.map((cpu, i) => cpu / b.cpuPerOp[i]!));
}

/**
 * The same for what each costs above `floor` (work both contestants share, measured in the same
 * cycles): `(a - floor) / (b - floor)`, round by round. Rounds where `b` is not above the floor
 * are left out.
 */
export function pairedRatioAboveFloor(a: Contestant, b: Contestant, floor: Contestant): RoundSpread {
  const ratios: number[] = [];
  for (const [i, cpu] of a.cpuPerOp.entries()) {
    const base = floor.cpuPerOp[i]!;
    const other = b.cpuPerOp[i]! - base;
    if (other > 0) ratios.push((cpu - base) / other);
  }
  return spread(ratios);
}

/**
 * Measures several contestants with interleaved rounds (A B A B ...), so that a slow patch of a
 * noisy shared machine hits each about equally. Warm-up rounds run first, interleaved too.
 */
export async function compare(contestants: readonly Contestant[], plan: TimingPlan, beforeRound: () => void = () => undefined): Promise<Measured[]> {
  for (let i = 0; i < plan.warmupRounds; i += 1) {
    for (const c of contestants) {
      beforeRound();
      await c.round(plan.roundMs, false);
    }
  }
  for (let i = 0; i < plan.rounds; i += 1) {
    // Alternate the order too, so neither always runs right after the other's garbage.
    const order = i % 2 === 0 ? contestants : [...contestants].reverse();
    for (const c of order) {
      beforeRound();
      await c.round(plan.roundMs, true);
    }
  }
  return contestants.map((c) => c.result());
}
