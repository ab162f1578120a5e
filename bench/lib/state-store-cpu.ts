/**
 * What ours' conversation spends in its state store: the CPU of the state database's calls (the
 * session kept on `state`, its indexes and counters) and of the service context's saves (what the
 * RP knows of itself and the OP, written to the same store), per conversation.
 *
 * openid-client keeps nothing: its caller holds state, nonce and verifier. So this is the part of
 * ours' RP-side CPU that has no counterpart in the other contestant, and the figure that shows how
 * much of a CPU budget relative to openid-client the store alone takes.
 *
 * It is measured in a pass of its own, after the timed rounds: each outermost call into the state
 * database or `ServiceContext.save` is wrapped, for the pass only, in `process.cpuUsage` readings
 * (a conversation runs its calls one after the other and nothing else runs meanwhile, so a call's
 * reading is its own CPU, the in-memory store's included). `operation`, which runs an RP call on a
 * session, is not counted as a call: what runs inside it is the RP's work, whose store calls are
 * counted one by one. The wrapping's own readings, about 40 per conversation, cost a few
 * microseconds each; they are counted in the conversation's CPU, not in the store's.
 */
import { ServiceContext } from '../../src/service-context.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { round } from './stats.js';

/** The state store's share of a conversation, per conversation. */
export interface StateStoreCpu {
  /** CPU ms of the whole conversation in this pass. */
  conversationCpuMs: number;
  /** CPU ms in the state database's calls. */
  stateDatabaseCpuMs: number;
  /** CPU ms in `ServiceContext.save`. */
  contextSaveCpuMs: number;
  /** The state database's outermost calls. */
  stateDatabaseCalls: number;
  /** The context's saves. */
  contextSaves: number;
  /** Conversations measured. */
  conversations: number;
}

/** StateDatabase methods that are not store calls of their own: the clock, and the operation that wraps an RP call. */
const NOT_STORE_CALLS = new Set(['constructor', 'now', 'operation']);

type Method = (...args: unknown[]) => unknown;

/** Runs `conversation` `count` times, after the caller's warm-up, with the state store's calls timed. */
export async function stateStoreCpu(conversation: () => Promise<unknown>, count: number): Promise<StateStoreCpu> {
  const spent = { stateDatabase: 0, contextSave: 0 };
  const calls = { stateDatabase: 0, contextSave: 0 };
  let depth = 0;
  const restore: Array<() => void> = [];
  const wrap = (prototype: Record<string, unknown>, name: string, part: keyof typeof spent): void => {
    const original = prototype[name] as Method;
    prototype[name] = async function timed(this: unknown, ...args: unknown[]): Promise<unknown> {
      // A call made from inside another counted call is part of that one.
      if (depth > 0) return original.apply(this, args);
      depth += 1;
      calls[part] += 1;
      const before = process.cpuUsage();
      try {
        return await original.apply(this, args);
      } finally {
        const used = process.cpuUsage(before);
        spent[part] += used.user + used.system;
        depth -= 1;
      }
    };
    restore.push(() => {
      prototype[name] = original;
    });
  };
  const database = StateDatabase.prototype as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(database)) {
    if (!NOT_STORE_CALLS.has(name) && typeof Object.getOwnPropertyDescriptor(database, name)?.value === 'function') wrap(database, name, 'stateDatabase');
  }
  wrap(ServiceContext.prototype as unknown as Record<string, unknown>, 'save', 'contextSave');
  try {
    const before = process.cpuUsage();
    for (let i = 0; i < count; i += 1) await conversation();
    const used = process.cpuUsage(before);
    const perConversation = (micros: number): number => round(micros / count / 1000, 3);
    return {
      conversationCpuMs: perConversation(used.user + used.system),
      stateDatabaseCpuMs: perConversation(spent.stateDatabase),
      contextSaveCpuMs: perConversation(spent.contextSave),
      stateDatabaseCalls: round(calls.stateDatabase / count, 1),
      contextSaves: round(calls.contextSave / count, 1),
      conversations: count,
    };
  } finally {
    for (const undo of restore) undo();
  }
}
